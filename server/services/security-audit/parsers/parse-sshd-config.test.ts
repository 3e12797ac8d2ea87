import { describe, expect, it } from "vitest";
import { parseSshdConfigFiles } from "./parse-sshd-config-files";
import { parseSshdT } from "./parse-sshd-config";
import { readFixture } from "./read-fixture";

const hardenedFiles = () =>
  parseSshdConfigFiles({ path: "/tmp/audithelper/ssh/hardened.conf", text: readFixture("sshd-config-hardened.txt") }, [
    { path: "/tmp/audithelper/ssh/conf.d/60-override.conf", text: readFixture("sshd-config-hardened.d-60-override.txt") },
    { path: "/tmp/audithelper/ssh/conf.d/50-cloud-init.conf", text: readFixture("sshd-config-hardened.d-50-cloud-init.txt") },
  ]);

describe("sshd -T", () => {
  it("reads Debian 12's stock config: passwords on, root by key only (printed under its old name)", () => {
    const s = parseSshdT(readFixture("sshd-T-debian-default.txt"));
    expect(s).toMatchObject({
      readable: true,
      source: "sshd -T",
      passwordAuthentication: true,
      kbdInteractiveAuthentication: false,
      pubkeyAuthentication: true,
    });
    expect(s.permitRootLogin).toBe("without-password");
    expect(s.ports).toEqual([22]);
    expect(s.listenAddresses).toEqual(["[::]:22", "0.0.0.0:22"]);
    expect(s.allowUsers).toEqual([]);
    expect(s.evidence).toContain("passwordauthentication yes");
    expect(s.evidence.split("\n").length).toBeLessThanOrEqual(20);
  });

  it("reads several ports, user and group lists, and the first value of an included file", () => {
    const s = parseSshdT(readFixture("sshd-T-hardened.txt"));
    expect(s).toMatchObject({ passwordAuthentication: false, permitRootLogin: "yes", usePam: true, ports: [22, 2222] });
    expect(s.allowUsers).toEqual(["deploy", "ops@10.0.0.0/8"]);
    expect(s.allowGroups).toEqual(["sshusers"]);
  });

  it("shows a Match block's effect only for the connection given with -C", () => {
    expect(parseSshdT(readFixture("sshd-T-hardened-match-deploy.txt")).passwordAuthentication).toBe(true);
  });

  it("maps ChallengeResponseAuthentication to keyboard-interactive and reads forced-commands-only", () => {
    const insecure = parseSshdT(readFixture("sshd-T-insecure.txt"));
    expect(insecure).toMatchObject({
      kbdInteractiveAuthentication: true,
      permitEmptyPasswords: true,
      usePam: false,
      denyUsers: ["root", "guest"],
    });
    expect(insecure.listenAddresses).toEqual(["0.0.0.0:22", "127.0.0.1:2200"]);
    expect(parseSshdT(readFixture("sshd-T-forced-commands.txt")).permitRootLogin).toBe("forced-commands-only");
  });

  it.each([
    "sshd-T-error-not-root.txt",
    "sshd-T-error-hostkey-permission.txt",
    "sshd-T-error-bad-option.txt",
    "sshd-T-error-missing-config.txt",
    "sshd-T-error-authmethods.txt",
  ])("%s: sshd refused, so nothing is known", (name) => {
    const s = parseSshdT(readFixture(name));
    expect(s.readable).toBe(false);
    expect(s.problem).toMatch(/^sshd -T failed/);
    expect([s.passwordAuthentication, s.permitRootLogin, s.ports, s.allowUsers]).toEqual(["unknown", "unknown", "unknown", "unknown"]);
    expect(s.evidence).toBe(
      readFixture(name)
        .trim()
        .split("\n")
        .slice(0, 5)
        .map((l) => l.trim())
        .join("\n"),
    );
  });

  it("gives unknown for empty output, garbage and a shell's error", () => {
    for (const text of ["", "   \n", "<html>502 Bad Gateway</html>", "bash: line 1: sshd: command not found"]) {
      expect(parseSshdT(text)).toMatchObject({ readable: false, passwordAuthentication: "unknown", permitRootLogin: "unknown" });
    }
  });

  it("leaves what a cut-off output did not reach unknown", () => {
    const full = readFixture("sshd-T-hardened.txt").split("\n");
    const cut = parseSshdT(full.slice(0, 20).join("\n"));
    expect(cut.readable).toBe(true);
    expect(cut.ports).toEqual([22, 2222]);
    expect(cut.permitRootLogin).toBe("yes");
    expect([cut.passwordAuthentication, cut.allowUsers, cut.permitEmptyPasswords]).toEqual(["unknown", "unknown", "unknown"]);
  });
});

describe("sshd config files (fallback)", () => {
  it("agrees with sshd -T on the same files: first value wins, Include expanded in place, lists accumulate", () => {
    const files = hardenedFiles();
    const t = parseSshdT(readFixture("sshd-T-hardened.txt"));
    for (const key of [
      "passwordAuthentication",
      "kbdInteractiveAuthentication",
      "pubkeyAuthentication",
      "permitRootLogin",
      "usePam",
      "ports",
      "allowUsers",
      "allowGroups",
    ] as const) {
      expect(files[key], key).toEqual(t[key]);
    }
    expect(files.includes).toEqual([
      "Include /tmp/audithelper/ssh/conf.d/*.conf → /tmp/audithelper/ssh/conf.d/50-cloud-init.conf, /tmp/audithelper/ssh/conf.d/60-override.conf",
    ]);
  });

  it("reports a Match block without letting it change the global values", () => {
    const files = hardenedFiles();
    expect(files.passwordAuthentication).toBe(false);
    expect(files.matchBlocks).toEqual(["/tmp/audithelper/ssh/hardened.conf:11: Match User deploy Address 10.0.0.0/8"]);
    expect(files.evidence).toContain("Match block: not applied to the global values");
  });

  it("applies OpenSSH's defaults to Debian's stock file and says so", () => {
    const s = parseSshdConfigFiles({ path: "/etc/ssh/sshd_config", text: readFixture("sshd-config-debian12.txt") });
    expect(s).toMatchObject({
      readable: true,
      source: "config files",
      passwordAuthentication: true,
      kbdInteractiveAuthentication: false,
      usePam: true,
      permitRootLogin: "prohibit-password",
      ports: [22],
    });
    expect(s.evidence).toContain("default: passwordauthentication yes (OpenSSH default; not set in any file)");
    expect(s.includes).toEqual(["Include /etc/ssh/sshd_config.d/*.conf → no file given"]);
  });

  it("accumulates Port and AllowUsers lines as sshd -T shows", () => {
    const files = parseSshdConfigFiles({ path: "/etc/ssh/sshd_config", text: readFixture("sshd-config-accumulate.txt") });
    const t = parseSshdT(readFixture("sshd-T-accumulate.txt"));
    expect(files.ports).toEqual(t.ports);
    expect(files.allowUsers).toEqual(t.allowUsers);
    expect(files.denyGroups).toEqual(t.denyGroups);
  });

  it("accepts Keyword=value and quoted values, and resolves relative Include paths against /etc/ssh", () => {
    const s = parseSshdConfigFiles(
      { path: "/etc/ssh/sshd_config", text: 'Include conf.d/*.conf\nPasswordAuthentication=yes\nPermitRootLogin "no"\n' },
      [
        { path: "/etc/ssh/conf.d/a.conf", text: "PasswordAuthentication no\n" },
        { path: "/etc/ssh/elsewhere/b.conf", text: "PermitRootLogin yes\n" },
      ],
    );
    expect(s).toMatchObject({ passwordAuthentication: false, permitRootLogin: "no" });
    expect(s.evidence).toContain("/etc/ssh/elsewhere/b.conf: not included by any Include line (ignored)");
  });

  it("gives unknown when a file could not be read or is not an sshd config", () => {
    const denied = parseSshdConfigFiles({ path: "/etc/ssh/sshd_config", text: readFixture("sshd-config-debian12.txt") }, [
      { path: "/etc/ssh/sshd_config.d/50-cloud-init.conf", text: "cat: /etc/ssh/sshd_config.d/50-cloud-init.conf: Permission denied" },
    ]);
    expect(denied).toMatchObject({ readable: false, passwordAuthentication: "unknown" });
    expect(denied.problem).toContain("50-cloud-init.conf");
    for (const text of ["", "garbage that is no config\n{]", "cat: /etc/ssh/sshd_config: No such file or directory"]) {
      expect(parseSshdConfigFiles({ path: "/etc/ssh/sshd_config", text })).toMatchObject({ readable: false, permitRootLogin: "unknown" });
    }
  });
});
