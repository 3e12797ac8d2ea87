/**
 * HOST_AUDIT_SCRIPT run for real on this machine with `sh -c`, as the SSH exec runs it: as root, as an unprivileged
 * user (runuser), and as that user through a stand-in sudo. Outputs differ between machines, so this asserts structure.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { AUDIT_SECTIONS, HOST_AUDIT_SCRIPT, parseHostAuditOutput } from "./collect-script";
import { evaluateHostChecks } from "./host-checks";
import { buildFacts } from "./testing/host-facts-builder";

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const onPath = (name: string) =>
  [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin"].some((d) => d && fs.existsSync(path.join(d, name)));
const canDropRoot = isRoot && onPath("runuser");
const NAMES = Object.keys(AUDIT_SECTIONS) as (keyof typeof AUDIT_SECTIONS)[];

async function audit(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { stdout } = await run(argv[0]!, [...argv.slice(1), "sh", "-c", HOST_AUDIT_SCRIPT], { env, timeout: 60_000, maxBuffer: 16 << 20 });
  return stdout;
}

/** The script's helpers (everything before the first command), then `extra`: to test pfx, sec and fil on their own. */
async function helpers(extra: string): Promise<string> {
  const lines = HOST_AUDIT_SCRIPT.split("\n");
  const head = lines.slice(0, lines.indexOf("sec uid 0 id -u")).join("\n");
  const { stdout } = await run("sh", ["-c", `${head}\n${extra}`], { timeout: 30_000 });
  return stdout.replace("@@pxf-audit 1\n", "");
}

describe("HOST_AUDIT_SCRIPT's helpers", () => {
  it("keeps a last line that has no newline (a drop-in written with printf still counts)", async () => {
    expect(await helpers("printf 'a\\nPasswordAuthentication yes' | pfx o")).toBe("o|a\no|PasswordAuthentication yes\n");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-fil-"));
    fs.writeFileSync(path.join(dir, "50-cloud-init.conf"), "PasswordAuthentication yes");
    try {
      const r = parseHostAuditOutput(
        `@@pxf-audit 1\n@@files\n${await helpers(`fil ${dir}/50-cloud-init.conf; fil ${dir}/missing.conf`)}@@files-end\n`,
      );
      expect(r.sshdFiles).toEqual([
        { path: `${dir}/50-cloud-init.conf`, text: "PasswordAuthentication yes\n" },
        { path: `${dir}/missing.conf`, text: `error: ${dir}/missing.conf: No such file or directory` },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it("frames exit code and stderr, a missing tool as code=none, and a command that runs too long as timed out", async () => {
    const out = await helpers(
      `sec f 0 sh -c 'echo out; echo err >&2; exit 3'; sec m 0 pxf-no-such-tool; to="timeout -k 1 1"; sec slow 0 sleep 5`,
    );
    expect(out).toBe(
      [
        "@@begin f as=root",
        "o|out",
        "e|err",
        "@@end f code=3",
        "@@begin m",
        "e|pxf-no-such-tool: not installed (not found in PATH, /usr/sbin or /sbin)",
        "@@end m code=none",
        "@@begin slow as=root",
        "e|timed out after 10 s",
        "@@end slow code=124",
        "",
      ].join("\n"),
    );
  });
});

describe("HOST_AUDIT_SCRIPT on this machine", () => {
  it("prints every section, framed, and reads back without a gap", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-audit-test-"));
    let stdout: string;
    let left: string[];
    try {
      stdout = await audit(["env"], { ...process.env, TMPDIR: tmp });
      left = fs.readdirSync(tmp);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    expect(left).toEqual([]); // its capture directory is removed on exit
    expect(stdout.split("\n")[0]).toBe("@@pxf-audit 1");
    expect(stdout.trimEnd().endsWith("@@done")).toBe(true);
    for (const name of NAMES) {
      expect(stdout).toMatch(new RegExp(`^@@begin ${name}( as=(root|sudo|user))?$`, "m"));
      expect(stdout).toMatch(new RegExp(`^@@end ${name} code=(\\d+|none)$`, "m"));
    }
    const r = parseHostAuditOutput(stdout);
    expect(r.uid.code).toBe(0);
    expect(r.uid.stdout).toMatch(/^\d+\n$/);
    for (const name of NAMES) expect(r[name].stderr).not.toContain("section in the audit output");
    expect(r.sshdFiles.map((f) => f.path)).toContain("/etc/ssh/sshd_config");
    expect(() => evaluateHostChecks(buildFacts({ commands: r }))).not.toThrow();
  });

  it.skipIf(!onPath("busybox"))("runs the same under busybox sh (ash), a plain POSIX shell", async () => {
    const { stdout } = await run("busybox", ["sh", "-c", HOST_AUDIT_SCRIPT], { timeout: 60_000, maxBuffer: 16 << 20 });
    const r = parseHostAuditOutput(stdout);
    for (const name of NAMES) expect(r[name].stderr).not.toContain("section in the audit output");
    expect(r.uid).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\n$/) });
  });

  it.skipIf(!isRoot)("as root: runs every tool directly and reads sshd -T", async () => {
    const r = parseHostAuditOutput(await audit(["env"]));
    expect(r.uid).toMatchObject({ stdout: "0\n", runAs: "root" });
    for (const name of NAMES) if (r[name].code !== null) expect(r[name].runAs).toBe("root");
    if (onPath("sshd")) expect(r.sshdT).toMatchObject({ code: 0, stdout: expect.stringMatching(/^port \d+$/m) });
  });

  it.skipIf(!canDropRoot)("as a user without sudo: every privileged tool refuses, and nothing is judged a pass on it", async () => {
    const r = parseHostAuditOutput(await audit(["runuser", "-u", "nobody", "--"]));
    expect(r.uid).toMatchObject({ stdout: "65534\n", code: 0, runAs: "user" });
    for (const name of ["ufw", "nft", "iptables", "ip6tables"] as const) {
      if (r[name].code === null) continue; // not installed here
      expect(r[name]).toMatchObject({ runAs: "user", stdout: "" });
      expect(r[name].code).not.toBe(0);
    }
    const checks = evaluateHostChecks(buildFacts({ host: { sshUser: "nobody" }, commands: r }));
    expect(checks.filter((c) => c.area === "firewall").map((c) => c.verdict)).toEqual(["unknown", "unknown", "unknown"]);
    // sshd -T needs the host keys: the SSH checks come from the readable config files, and say so.
    expect(checks.find((c) => c.id === "ssh-password-auth")?.evidence).toContain("sshd -T not used");
  });

  it.skipIf(!canDropRoot)("as a user with sudo: goes through sudo -n with the tool's full path", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-fake-sudo-"));
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, "sudo"), '#!/bin/sh\necho "fake-sudo: $*" >&2\n[ "$1" = -n ] || exit 99\nshift\nexec "$@"\n', {
      mode: 0o755,
    });
    try {
      const r = parseHostAuditOutput(await audit(["runuser", "-u", "nobody", "--", "env", `PATH=${dir}:/usr/bin:/bin`]));
      expect(r.ufw.runAs).toBe("sudo");
      expect(r.ufw.stderr).toMatch(/^fake-sudo: -n \/\S*ufw status verbose$/m);
      expect(r.ss.runAs).toBe("user"); // ss needs no privilege
      expect(r.ss.stderr).not.toContain("fake-sudo");
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
