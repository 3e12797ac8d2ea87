import { describe, expect, it } from "vitest";
import { AUDIT_SECTIONS, isToolMissing, parseHostAuditOutput } from "./collect-script";

const section = (name: string, code: string, out: string[], err: string[] = [], as = "root") =>
  [`@@begin ${name} as=${as}`, ...out.map((l) => `o|${l}`), ...err.map((l) => `e|${l}`), `@@end ${name} code=${code}`].join("\n");
const file = (path: string, lines: string[]) =>
  [`@@begin file ${path}`, ...lines.map((l) => `o|${l}`), `@@end file ${path} code=0`].join("\n");

const FULL = [
  "@@pxf-audit 1",
  section("uid", "0", ["1000"], [], "user"),
  section("sshdT", "0", ["port 22", "passwordauthentication no"], [], "sudo"),
  "@@files",
  file("/etc/ssh/sshd_config", ["Include /etc/ssh/sshd_config.d/*.conf", "PasswordAuthentication no"]),
  "@@begin file /etc/ssh/sshd_config.d/50-cloud-init.conf",
  "e|/etc/ssh/sshd_config.d/50-cloud-init.conf: Permission denied (not readable by uid 1000)",
  "@@end file /etc/ssh/sshd_config.d/50-cloud-init.conf code=none",
  "@@files-end",
  section("ufw", "0", ["Status: inactive", "@@end ufw code=0", "o|not a marker"], [], "sudo"),
  "@@begin nft",
  "e|nft: not installed (not found in PATH, /usr/sbin or /sbin)",
  "@@end nft code=none",
  section("iptables", "4", [], ["sudo: a password is required"], "sudo"),
  section("ip6tables", "0", [], [], "sudo"),
  section("ss", "0", ["LISTEN 0      128          0.0.0.0:22        0.0.0.0:*"], [], "user"),
  "@@done",
  "",
].join("\n");

describe("parseHostAuditOutput", () => {
  it("reads each command's stdout, stderr, exit code and how it ran; tool output can never pass for a marker", () => {
    const r = parseHostAuditOutput(FULL);
    expect(r.uid).toEqual({ stdout: "1000\n", stderr: "", code: 0, runAs: "user" });
    expect(r.sshdT).toEqual({ stdout: "port 22\npasswordauthentication no\n", stderr: "", code: 0, runAs: "sudo" });
    expect(r.ufw.stdout).toBe("Status: inactive\n@@end ufw code=0\no|not a marker\n");
    expect(r.iptables).toEqual({ stdout: "", stderr: "sudo: a password is required\n", code: 4, runAs: "sudo" });
    expect(r.ip6tables).toEqual({ stdout: "", stderr: "", code: 0, runAs: "sudo" });
    expect(r.ss.code).toBe(0);
  });

  it("gives a missing tool code null, and tells it apart from one that failed", () => {
    const r = parseHostAuditOutput(FULL);
    expect(r.nft).toEqual({ stdout: "", stderr: "nft: not installed (not found in PATH, /usr/sbin or /sbin)\n", code: null });
    expect(isToolMissing(r.nft)).toBe(true);
    expect(isToolMissing(r.iptables)).toBe(false);
  });

  it("keeps every sshd config file with its path, an unreadable one as an error (so the fallback cannot judge it)", () => {
    expect(parseHostAuditOutput(FULL).sshdFiles).toEqual([
      { path: "/etc/ssh/sshd_config", text: "Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\n" },
      {
        path: "/etc/ssh/sshd_config.d/50-cloud-init.conf",
        text: "error: /etc/ssh/sshd_config.d/50-cloud-init.conf: Permission denied (not readable by uid 1000)",
      },
    ]);
  });

  it("drops a section cut short (never half an output) and says so; the sections after it are missing", () => {
    const cut = FULL.slice(0, FULL.indexOf("o|@@end ufw code=0"));
    const r = parseHostAuditOutput(cut);
    expect(r.sshdT.code).toBe(0);
    expect(r.ufw).toEqual({
      stdout: "",
      stderr: "error: the output of ufw status verbose was cut short after 1 lines (no end marker): not judged",
      code: null,
    });
    expect(isToolMissing(r.ufw)).toBe(false);
    for (const k of ["nft", "iptables", "ip6tables", "ss"] as const) {
      expect(r[k]).toMatchObject({ stdout: "", code: null });
      expect(r[k].stderr).toContain(`no ${AUDIT_SECTIONS[k]} section in the audit output`);
    }
  });

  it("marks the sshd file list as incomplete when it was cut inside it", () => {
    const cut = FULL.slice(0, FULL.indexOf("@@begin file /etc/ssh/sshd_config.d/"));
    expect(parseHostAuditOutput(cut).sshdFiles).toEqual([
      { path: "/etc/ssh/sshd_config", text: "Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\n" },
      { path: "/etc/ssh/sshd_config.d", text: "error: the list of sshd config files was cut short" },
    ]);
    const midFile = FULL.slice(0, FULL.indexOf("o|PasswordAuthentication no"));
    expect(parseHostAuditOutput(midFile).sshdFiles.map((f) => f.text)).toEqual([
      "error: the output of /etc/ssh/sshd_config was cut short after 1 lines (no end marker): not judged",
      "error: the list of sshd config files was cut short",
    ]);
  });

  it("names what came back when it is not the audit's output at all", () => {
    const r = parseHostAuditOutput("sh: 1: Syntax error: end of file unexpected\n");
    for (const k of Object.keys(AUDIT_SECTIONS) as (keyof typeof AUDIT_SECTIONS)[]) {
      expect(r[k].code).toBeNull();
      expect(r[k].stderr).toContain("it began with: sh: 1: Syntax error");
    }
    expect(parseHostAuditOutput("").uid.stderr).toContain("the audit printed nothing");
    expect(parseHostAuditOutput("").sshdFiles).toEqual([]);
  });

  it("never throws, whatever it is given", () => {
    const bits = [
      "@@begin ufw as=root",
      "@@end ufw code=0",
      "@@end ufw code=x",
      "o|x",
      "e|y",
      "@@files",
      "@@begin file ",
      "\r",
      "",
      "@@done",
    ];
    let seed = 7;
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: 12 }, () => bits[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % bits.length]).join("\n");
      expect(() => parseHostAuditOutput(text)).not.toThrow();
    }
  });
});
