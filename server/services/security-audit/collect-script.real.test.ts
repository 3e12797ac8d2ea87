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

describe("HOST_AUDIT_SCRIPT on this machine", () => {
  it("prints every section, framed, and reads back without a gap", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-audit-test-"));
    const stdout = await audit(["env"], { ...process.env, TMPDIR: tmp });
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
    expect(fs.readdirSync(tmp)).toEqual([]); // its capture directory is removed on exit
    fs.rmSync(tmp, { recursive: true });
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
