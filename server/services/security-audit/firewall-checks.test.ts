import { describe, expect, it } from "vitest";
import type { AuditCheck } from "@/server/domain/security-audit";
import { evaluateFirewallChecks, serverRolesOf } from "./firewall-checks";
import { buildFacts, checkOf, dockerFixture, failed, notInstalled, ran } from "./testing/host-facts-builder";

const verdicts = (checks: AuditCheck[]) => checks.map((c) => `${c.id}:${c.verdict}`);
const INACTIVE = {
  ufw: ran("fixture:ufw-status-inactive.txt"),
  nft: ran("fixture:nft-ruleset-debian-default.txt"),
  iptables: ran("fixture:iptables-save-ufw-disabled.txt"),
  ip6tables: ran("fixture:ip6tables-save-plain-accept.txt"),
};
const NOT_ROOT = {
  ufw: failed("fixture:ufw-status-not-root.txt"),
  nft: failed("fixture:nft-ruleset-not-root.txt"),
  iptables: failed("fixture:iptables-save-not-root.txt", 4),
  ip6tables: failed("fixture:iptables-save-not-root.txt", 4),
};

describe("firewall checks", () => {
  it("passes the db host set up as the plan says (ufw, read through sudo)", () => {
    const checks = evaluateFirewallChecks(buildFacts({}));
    expect(verdicts(checks)).toEqual(["firewall-active:pass", "firewall-default-deny:pass", "firewall-only-plan-ports:pass"]);
    expect(checks.every((c) => c.area === "firewall" && c.fix === null)).toBe(true);
    expect(checkOf(checks, "firewall-only-plan-ports").evidence).toContain("open TCP: 22; 3306 from 10.0.0.30; 22 (v6)");
  });

  it("fails the plan's ports once Docker publishes 3306 on all interfaces, with the Docker note", () => {
    const ports = checkOf(
      evaluateFirewallChecks(buildFacts({ containers: dockerFixture("docker-inspect-db-running.json") })),
      "firewall-only-plan-ports",
    );
    expect(ports.verdict).toBe("fail");
    expect(ports.evidence).toContain("bypasses the firewall: 3306 published by Docker on all interfaces");
    expect(ports.evidence).toContain("DNAT before the INPUT chain");
    expect(ports.fix).toContain("--ctorigdstport 3306 --ctdir ORIGINAL ! -s 10.0.0.30 -j DROP");
  });

  it("fails all three when every tool reads inactive, enabling ufw with SSH allowed first", () => {
    const checks = evaluateFirewallChecks(buildFacts({ commands: INACTIVE }));
    expect(verdicts(checks)).toEqual(["firewall-active:fail", "firewall-default-deny:fail", "firewall-only-plan-ports:fail"]);
    expect(checkOf(checks, "firewall-default-deny").evidence).toBe("No firewall is active: every firewall tool read as inactive");
    expect(checkOf(checks, "firewall-active").fix).toMatch(/^sudo ufw allow 22\/tcp\n/);
    expect(checkOf(checks, "firewall-active").fix).toContain("sudo ufw allow from 10.0.0.30 to any port 3306 proto tcp");
  });

  it("stays unknown when the user may not read the firewall, and says how to let it", () => {
    const checks = evaluateFirewallChecks(buildFacts({ commands: NOT_ROOT }));
    expect(verdicts(checks)).toEqual(["firewall-active:unknown", "firewall-default-deny:unknown", "firewall-only-plan-ports:unknown"]);
    expect(checkOf(checks, "firewall-active").evidence).toContain("ERROR: You need to be root");
    expect(checks.every((c) => c.fix?.includes('"sudo -n" for ufw status verbose'))).toBe(true);
  });

  it("counts an empty ruleset as 'nothing filters' only when it ran as root or through sudo", () => {
    const empty = (runAs: "sudo" | "user") => ({
      ufw: ran("fixture:ufw-status-inactive.txt", runAs),
      nft: ran("", runAs),
      iptables: ran("", runAs),
      ip6tables: ran("", runAs),
    });
    expect(checkOf(evaluateFirewallChecks(buildFacts({ commands: empty("sudo") })), "firewall-active").verdict).toBe("fail");
    expect(checkOf(evaluateFirewallChecks(buildFacts({ commands: empty("user") })), "firewall-active").verdict).toBe("unknown");
  });

  it("never reads a command that failed, whatever it printed", () => {
    const commands = {
      ufw: { ...ran("fixture:ufw-status-db-role.txt"), code: 2 },
      nft: notInstalled("nft"),
      iptables: notInstalled("iptables-save"),
      ip6tables: notInstalled("ip6tables-save"),
    };
    const active = checkOf(evaluateFirewallChecks(buildFacts({ commands })), "firewall-active");
    expect(active.verdict).toBe("unknown");
    expect(active.evidence).toContain("ufw status verbose exited 2");
    expect(active.evidence).toContain("not installed: nft, iptables-save");
  });

  it("judges nft when ufw is not installed, and says none is installed when none is", () => {
    const app = { host: { roles: ["app", "proxy"] } };
    const nftOnly = { ufw: notInstalled("ufw"), nft: ran("fixture:nft-ruleset-app-role.txt"), iptables: notInstalled("iptables-save") };
    expect(verdicts(evaluateFirewallChecks(buildFacts({ ...app, commands: nftOnly })))).toEqual([
      "firewall-active:pass",
      "firewall-default-deny:pass",
      "firewall-only-plan-ports:pass",
    ]);
    const none = { ufw: notInstalled("ufw"), nft: notInstalled("nft"), iptables: notInstalled("iptables-save") };
    const checks = evaluateFirewallChecks(buildFacts({ ...app, commands: none }));
    expect(checks.map((c) => c.verdict)).toEqual(["unknown", "unknown", "unknown"]);
    expect(checkOf(checks, "firewall-active").fix).toContain("None of ufw, nft or iptables-save is installed");
  });

  it("maps the inventory roles onto the plan's (proxy and storage are app hosts) and leaves a host without one unknown", () => {
    expect(serverRolesOf(["proxy", "storage", "db", "cache", "other"])).toEqual(["app", "db", "cache"]);
    const proxy = evaluateFirewallChecks(buildFacts({ host: { roles: ["proxy"] } }));
    expect(checkOf(proxy, "firewall-only-plan-ports")).toMatchObject({
      verdict: "fail",
      evidence: expect.stringContaining("not allowed: 3306"),
    });
    expect(checkOf(evaluateFirewallChecks(buildFacts({ host: { roles: ["proxy", "db"] } })), "firewall-only-plan-ports").verdict).toBe(
      "pass",
    );
    const none = evaluateFirewallChecks(buildFacts({ host: { roles: [] } }));
    expect(none.map((c) => c.verdict)).toEqual(["unknown", "unknown", "unknown"]);
    expect(checkOf(none, "firewall-active").evidence).toContain("roles in the panel: none");
    expect(checkOf(none, "firewall-active").fix).toContain("Give the host its roles");
  });
});
