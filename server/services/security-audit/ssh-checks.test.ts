import { describe, expect, it } from "vitest";
import { readFixture } from "./parsers/read-fixture";
import { evaluateSshChecks } from "./ssh-checks";
import { buildFacts, checkOf, failed, ran } from "./testing/host-facts-builder";

const NOT_ROOT = failed("fixture:sshd-T-error-not-root.txt");
const verdicts = (checks: ReturnType<typeof evaluateSshChecks>) => Object.fromEntries(checks.map((c) => [c.id, c.verdict]));
const hardenedFiles = [
  { path: "/etc/ssh/sshd_config", text: readFixture("sshd-config-hardened.txt") },
  { path: "/tmp/audithelper/ssh/conf.d/50-cloud-init.conf", text: readFixture("sshd-config-hardened.d-50-cloud-init.txt") },
  { path: "/tmp/audithelper/ssh/conf.d/60-override.conf", text: readFixture("sshd-config-hardened.d-60-override.txt") },
];

describe("SSH checks", () => {
  it("passes the plan's baseline read with sudo -n sshd -T", () => {
    const checks = evaluateSshChecks(buildFacts({}));
    expect(verdicts(checks)).toEqual({
      "ssh-password-auth": "pass",
      "ssh-root-login": "pass",
      "ssh-non-root-user": "pass",
      "ssh-port": "pass",
    });
    expect(checks.every((c) => c.area === "ssh" && c.fix === null && c.panelFix === null)).toBe(true);
    expect(checkOf(checks, "ssh-password-auth").evidence).toContain("passwordauthentication: no");
    expect(checkOf(checks, "ssh-password-auth").evidence).toContain("source: sshd -T");
  });

  it("fails password and root login on an insecure sshd, with the drop-in to write", () => {
    const checks = evaluateSshChecks(buildFacts({ commands: { sshdT: ran("fixture:sshd-T-insecure.txt") } }));
    const pw = checkOf(checks, "ssh-password-auth");
    expect(pw.verdict).toBe("fail");
    expect(pw.fix).toContain("PasswordAuthentication no\nKbdInteractiveAuthentication no");
    expect(checkOf(checks, "ssh-root-login")).toMatchObject({ verdict: "fail", evidence: expect.stringContaining("permitrootlogin: yes") });
    expect(checkOf(checks, "ssh-root-login").fix).toContain("PermitRootLogin no");
  });

  it("fails Debian's default (passwords on) and keyboard-interactive left on; prohibit-password and forced-commands pass", () => {
    const debian = evaluateSshChecks(buildFacts({ commands: { sshdT: ran("fixture:sshd-T-debian-default.txt") } }));
    expect(verdicts(debian)).toMatchObject({ "ssh-password-auth": "fail", "ssh-root-login": "pass" });
    expect(checkOf(debian, "ssh-root-login").evidence).toContain("without-password (the old name of prohibit-password)");
    const forced = evaluateSshChecks(buildFacts({ commands: { sshdT: ran("fixture:sshd-T-forced-commands.txt") } }));
    expect(checkOf(forced, "ssh-password-auth").evidence).toContain("kbdinteractiveauthentication (challengeresponseauthentication): yes");
    expect(verdicts(forced)).toMatchObject({ "ssh-password-auth": "fail", "ssh-root-login": "pass", "ssh-port": "fail" });
    expect(checkOf(forced, "ssh-port").evidence).toContain("sshd port: 2200; the panel uses 22");
  });

  it("checks the panel's port against every Port line", () => {
    const t = ran("fixture:sshd-T-hardened.txt");
    expect(checkOf(evaluateSshChecks(buildFacts({ host: { sshPort: 2222 }, commands: { sshdT: t } })), "ssh-port").verdict).toBe("pass");
    const wrong = checkOf(evaluateSshChecks(buildFacts({ host: { sshPort: 2200 }, commands: { sshdT: t } })), "ssh-port");
    expect(wrong).toMatchObject({ verdict: "fail", evidence: expect.stringContaining("sshd port: 22, 2222; the panel uses 2200") });
    expect(wrong.fix).toContain('"Port 2200"');
  });

  it("falls back to the config files when sshd -T is refused, and says so", () => {
    const checks = evaluateSshChecks(buildFacts({ commands: { sshdT: NOT_ROOT, sshdFiles: hardenedFiles } }));
    expect(verdicts(checks)).toMatchObject({ "ssh-password-auth": "pass", "ssh-root-login": "fail", "ssh-port": "pass" });
    const root = checkOf(checks, "ssh-root-login");
    expect(root.evidence).toContain("sshd -T not used (sshd -T exited 1: sshd: no hostkeys available -- exiting.)");
    expect(root.evidence).toContain("/tmp/audithelper/ssh/conf.d/60-override.conf:2: PermitRootLogin yes");
    expect(checkOf(checks, "ssh-password-auth").evidence).toContain("1 Match block(s): their settings are not judged");
  });

  it("falls back to the files when sshd -T exited 0 but printed no configuration", () => {
    const files = [{ path: "/etc/ssh/sshd_config", text: readFixture("sshd-config-debian12.txt") }];
    const cut = ran(readFixture("sshd-T-baseline.txt").split("\n").slice(1, 20).join("\n"));
    const pw = checkOf(evaluateSshChecks(buildFacts({ commands: { sshdT: cut, sshdFiles: files } })), "ssh-password-auth");
    expect(pw.verdict).toBe("fail");
    expect(pw.evidence).toContain("sshd -T not used (sshd -T: sshd -T output has no 'port' line");
  });

  it("fails a stock Debian sshd_config on OpenSSH's default PasswordAuthentication yes", () => {
    const files = [{ path: "/etc/ssh/sshd_config", text: readFixture("sshd-config-debian12.txt") }];
    const pw = checkOf(evaluateSshChecks(buildFacts({ commands: { sshdT: NOT_ROOT, sshdFiles: files } })), "ssh-password-auth");
    expect(pw.verdict).toBe("fail");
    expect(pw.evidence).toContain("default: passwordauthentication yes (OpenSSH default; not set in any file)");
  });

  it("never passes when sshd's settings could not be read: refused, cut short, or a drop-in unreadable", () => {
    const unreadableDropIn = [
      { path: "/etc/ssh/sshd_config", text: readFixture("sshd-config-debian12.txt") },
      { path: "/etc/ssh/sshd_config.d/50-cloud-init.conf", text: "error: /etc/ssh/sshd_config.d/50-cloud-init.conf: Permission denied" },
    ];
    const cut = ran(readFixture("sshd-T-baseline.txt").split("\n").slice(1, 20).join("\n"));
    for (const commands of [
      { sshdT: NOT_ROOT, sshdFiles: [] },
      { sshdT: NOT_ROOT, sshdFiles: unreadableDropIn },
      { sshdT: cut, sshdFiles: [] },
      { sshdT: { stdout: "", stderr: "error: the output of sshd -T was cut short", code: null } },
    ]) {
      const checks = evaluateSshChecks(buildFacts({ commands }));
      expect(verdicts(checks)).toEqual({
        "ssh-password-auth": "unknown",
        "ssh-root-login": "unknown",
        "ssh-non-root-user": "pass",
        "ssh-port": "unknown",
      });
      expect(checkOf(checks, "ssh-password-auth").fix).toContain("NOPASSWD: /usr/sbin/sshd -T");
    }
    const dropIn = checkOf(evaluateSshChecks(buildFacts({ commands: { sshdT: NOT_ROOT, sshdFiles: unreadableDropIn } })), "ssh-root-login");
    expect(dropIn.evidence).toContain("50-cloud-init.conf: Permission denied");
  });

  it("fails a root SSH user (by uid, or by name when id -u did not answer) with the deploy-user steps", () => {
    const root = checkOf(evaluateSshChecks(buildFacts({ host: { sshUser: "root" }, commands: { uid: ran("0\n") } })), "ssh-non-root-user");
    expect(root).toMatchObject({ verdict: "fail", evidence: "SSH user in the panel: root\nid -u: 0" });
    expect(root.fix).toContain("sudo usermod -aG sudo,docker deploy");
    expect(root.fix).toContain("set the host's SSH user to deploy in the panel");
    const uid0 = evaluateSshChecks(buildFacts({ host: { sshUser: "admin" }, commands: { uid: ran("0\n") } }));
    expect(checkOf(uid0, "ssh-non-root-user").verdict).toBe("fail");
    const noAnswer = failed("sh: 1: id: Permission denied", 126);
    expect(
      checkOf(evaluateSshChecks(buildFacts({ host: { sshUser: "root" }, commands: { uid: noAnswer } })), "ssh-non-root-user").verdict,
    ).toBe("fail");
    const unknown = checkOf(evaluateSshChecks(buildFacts({ commands: { uid: noAnswer } })), "ssh-non-root-user");
    expect(unknown).toMatchObject({
      verdict: "unknown",
      evidence: expect.stringContaining("id -u exited 126: sh: 1: id: Permission denied"),
    });
  });
});
