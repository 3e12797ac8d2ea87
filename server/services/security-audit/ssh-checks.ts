import type { AuditCheck, AuditVerdict } from "@/server/domain/security-audit";
import { describeFailure, readSshdSettings, uidOf } from "./command-readers";
import type { HostFacts } from "./host-facts";
import type { SshdSettings } from "./parsers/parse-sshd-config";
import { makeEvidence } from "./parsers/types";

/** Run as `sudo -n` by the audit: a NOPASSWD rule for exactly these read-only commands lets a non-root user be audited. */
const SUDOERS_LINE =
  "deploy ALL=(root) NOPASSWD: /usr/sbin/sshd -T, /usr/sbin/ufw status verbose, /usr/sbin/nft list ruleset, /usr/sbin/iptables-save, /usr/sbin/ip6tables-save";
const READ_FIX = `Let the panel read sshd's settings: run the audit as root, or give the SSH user a sudo rule for the audit's read-only commands:\necho '${SUDOERS_LINE}' | sudo tee /etc/sudoers.d/pixelfox-audit && sudo chmod 440 /etc/sudoers.d/pixelfox-audit`;
const DROP_IN = "/etc/ssh/sshd_config.d/00-pixelfox.conf";
const RELOAD = "sudo sshd -t && sudo systemctl reload ssh";

/** The go-live plan's SSH baseline: keys only, no root password login, a non-root user, the port the panel uses. */
export function evaluateSshChecks(facts: HostFacts): AuditCheck[] {
  const sshd = readSshdSettings(facts.commands);
  return [passwordAuth(sshd), rootLogin(sshd), nonRootUser(facts), sshPort(sshd, facts.host.sshPort)];
}

function passwordAuth(s: SshdSettings): AuditCheck {
  const pw = s.passwordAuthentication;
  const kbd = s.kbdInteractiveAuthentication;
  const verdict: AuditVerdict = pw === true || kbd === true ? "fail" : pw === false && kbd === false ? "pass" : "unknown";
  return sshCheck(s, {
    id: "ssh-password-auth",
    label: "Password authentication is off",
    verdict,
    keys: ["passwordauthentication", "kbdinteractiveauthentication", "challengeresponseauthentication", "permitemptypasswords"],
    lines: [
      `passwordauthentication: ${show(pw)}`,
      `kbdinteractiveauthentication (challengeresponseauthentication): ${show(kbd)}`,
      `permitemptypasswords: ${show(s.permitEmptyPasswords)}`,
    ],
    why: "With passwords allowed, anyone on the internet can guess them; the plan asks for SSH keys only. Keyboard-interactive goes through PAM and asks for the same password.",
    fix: `Make sure your key login works in a second session, then put these lines in ${DROP_IN} (sshd keeps the first value it reads, and Debian reads sshd_config.d/*.conf first, before a 50-cloud-init.conf that may say yes):\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n${RELOAD}`,
  });
}

function rootLogin(s: SshdSettings): AuditCheck {
  const v = s.permitRootLogin;
  const verdict: AuditVerdict = v === "unknown" ? "unknown" : v === "yes" ? "fail" : "pass";
  return sshCheck(s, {
    id: "ssh-root-login",
    label: "Root cannot log in with a password",
    verdict,
    keys: ["permitrootlogin"],
    lines: [`permitrootlogin: ${v}${v === "without-password" ? " (the old name of prohibit-password)" : ""}`],
    why: "PermitRootLogin yes lets root log in with a password: one guessed password gives the whole host.",
    fix: `Put "PermitRootLogin no" (or prohibit-password while the panel still logs in as root with a key) in ${DROP_IN}, then:\n${RELOAD}`,
  });
}

function nonRootUser(facts: HostFacts): AuditCheck {
  const user = facts.host.sshUser;
  const uid = uidOf(facts.commands.uid);
  // Security: the name "root" is uid 0 on every Linux host, so an unreadable `id -u` does not hide it; any other name
  // with uid 0 is root too.
  const verdict: AuditVerdict = uid === 0 || (uid === null && user === "root") ? "fail" : uid === null ? "unknown" : "pass";
  const seen = uid === null ? describeFailure("id -u", facts.commands.uid) : `id -u: ${uid}`;
  return {
    id: "ssh-non-root-user",
    area: "ssh",
    label: "The panel logs in as a non-root user",
    verdict,
    evidence: makeEvidence([`SSH user in the panel: ${user}`, seen]),
    why: "The plan asks for a non-root user: a leaked panel key should not be root at once, and root logins can then be closed entirely.",
    fix:
      verdict === "fail"
        ? [
            "Create a deploy user with your key, in the sudo and docker groups (docker is root-equivalent, and it is what the panel needs):",
            'sudo adduser --disabled-password --gecos "" deploy',
            "sudo usermod -aG sudo,docker deploy",
            "sudo install -d -m 700 -o deploy -g deploy /home/deploy/.ssh",
            "sudo install -m 600 -o deploy -g deploy /root/.ssh/authorized_keys /home/deploy/.ssh/authorized_keys",
            `echo '${SUDOERS_LINE}' | sudo tee /etc/sudoers.d/pixelfox-audit && sudo chmod 440 /etc/sudoers.d/pixelfox-audit`,
            "Then set the host's SSH user to deploy in the panel, check that it connects, and set PermitRootLogin no.",
          ].join("\n")
        : verdict === "unknown"
          ? "Check that `id -u` runs for the SSH user (a restricted shell or a forced command can block it)."
          : null,
    panelFix: null,
  };
}

function sshPort(s: SshdSettings, port: number): AuditCheck {
  const ports = s.ports;
  const verdict: AuditVerdict = ports === "unknown" ? "unknown" : ports.includes(port) ? "pass" : "fail";
  return sshCheck(s, {
    id: "ssh-port",
    label: `sshd listens on port ${port}, the one the panel uses`,
    verdict,
    keys: ["port"],
    lines: [`sshd port: ${ports === "unknown" ? "unknown" : ports.join(", ")}; the panel uses ${port}`],
    why: "The panel, the firewall rules and the operator's notes must agree on the SSH port, or closing the others locks the operator out.",
    fix: `Set the host's SSH port in the panel to the one sshd uses, or add "Port ${port}" in ${DROP_IN} (allow it in the firewall first), then:\n${RELOAD}`,
  });
}

interface SshFinding {
  id: string;
  label: string;
  verdict: AuditVerdict;
  /** sshd keywords whose config-file lines (or OpenSSH defaults) back the verdict. */
  keys: string[];
  lines: string[];
  why: string;
  fix: string;
}

/** Evidence names the source (sshd -T or the files) and, when unknown, why sshd's settings could not be read. */
function sshCheck(s: SshdSettings, f: SshFinding): AuditCheck {
  const fromFiles = s.source === "config files" ? s.evidence.split("\n").filter((l) => mentions(l, f.keys)) : [];
  const source = s.readable
    ? [`source: ${s.source}`, ...s.evidence.split("\n").filter((l) => l.startsWith("sshd -T not used")), ...fromFiles]
    : [`sshd settings could not be read: ${s.problem ?? "unreadable"}`, ...s.evidence.split("\n").slice(0, 3)];
  const match = s.matchBlocks.length ? [`${s.matchBlocks.length} Match block(s): their settings are not judged`] : [];
  return {
    id: f.id,
    area: "ssh",
    label: f.label,
    verdict: f.verdict,
    evidence: makeEvidence([...f.lines, ...source, ...match]),
    why: f.why,
    fix: f.verdict === "fail" ? f.fix : f.verdict === "unknown" ? READ_FIX : null,
    panelFix: null,
  };
}

/** `/etc/ssh/sshd_config:57: PasswordAuthentication yes` or `default: port 22 (OpenSSH default…)`. */
function mentions(line: string, keys: readonly string[]): boolean {
  const m = /^(?:default: |\S+:\d+: )([A-Za-z]+)\b/.exec(line);
  return Boolean(m?.[1] && keys.includes(m[1].toLowerCase()));
}

function show(v: boolean | "unknown"): string {
  return v === "unknown" ? "unknown" : v ? "yes" : "no";
}
