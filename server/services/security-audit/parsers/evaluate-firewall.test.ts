import { describe, expect, it } from "vitest";
import { evaluateFirewall, type FirewallEvaluation } from "./evaluate-firewall";
import { parseContainerListPorts, toDockerPublished } from "./parse-docker-ports";
import { iptablesFirewallView, parseIptablesSave } from "./parse-iptables-save";
import { nftFirewallView, parseNftRuleset } from "./parse-nft-ruleset";
import { parseUfwStatus, ufwFirewallView } from "./parse-ufw-status";
import { readFixture } from "./read-fixture";

const ufw = (name: string) => ufwFirewallView(parseUfwStatus(readFixture(name)));
const nft = (name: string) => nftFirewallView(parseNftRuleset(readFixture(name)));
const ipt = (v4: string, v6?: string) =>
  iptablesFirewallView(parseIptablesSave(readFixture(v4)), v6 ? parseIptablesSave(readFixture(v6)) : undefined);
const verdicts = (e: FirewallEvaluation) => e.checks.map((c) => `${c.id}:${c.verdict}`);
const check = (e: FirewallEvaluation, id: string) => e.checks.find((c) => c.id === id);
const DB = { roles: ["db"] as const, privateSources: ["10.0.0.30"] };
const APP = { roles: ["app"] as const, privateSources: ["10.0.0.30"] };

describe("evaluateFirewall", () => {
  it("passes the db host set up as the go-live plan says", () => {
    const e = evaluateFirewall([ufw("ufw-status-db-role.txt")], DB);
    expect(e.backend).toBe("ufw");
    expect(verdicts(e)).toEqual(["firewall-active:pass", "default-deny-inbound:pass", "only-allowed-ports:pass"]);
    expect(check(e, "only-allowed-ports")?.evidence).toBe("open TCP: 22; 3306 from 10.0.0.30; 22 (v6)");
    expect(e.checks.every((c) => c.fix === null)).toBe(true);
    expect(e.dockerNote).toContain("DNAT before the INPUT chain");
  });

  it("fails the same host once Docker publishes 3306 on all interfaces (PixelFox's db compose does)", () => {
    const published = toDockerPublished(parseContainerListPorts(JSON.parse(readFixture("docker-containers-json.json"))).containers);
    const e = evaluateFirewall([ufw("ufw-status-db-role.txt")], DB, published);
    const ports = check(e, "only-allowed-ports");
    expect(ports?.verdict).toBe("fail");
    expect(ports?.evidence).toContain("bypasses the firewall: 3306 published by Docker on all interfaces");
    expect(ports?.evidence).toContain("bypasses the firewall: 6379 published by Docker on all interfaces");
    expect(ports?.evidence).not.toContain("4000");
    expect(ports?.fix).toContain("--ctorigdstport 3306 --ctdir ORIGINAL ! -s 10.0.0.30 -j DROP");
  });

  it("reads Docker's DNAT rules from the firewall output itself", () => {
    const e = evaluateFirewall([ipt("iptables-save-ufw-docker.txt")], DB);
    expect(check(e, "only-allowed-ports")?.evidence).toContain("3306 published by Docker on all interfaces");
    expect(check(e, "only-allowed-ports")?.evidence).toContain("6379 published by Docker on 10.0.0.10");
    expect(check(e, "default-deny-inbound")?.verdict).toBe("unknown"); // no ip6tables-save given
    const noDocker = evaluateFirewall([ipt("iptables-save-ufw-db-role.txt")], DB);
    expect(check(noDocker, "only-allowed-ports")?.verdict).toBe("unknown"); // IPv6 may be open
    expect(
      check(evaluateFirewall([ipt("iptables-save-ufw-db-role.txt", "ip6tables-save-ufw-db-role.txt")], DB), "only-allowed-ports")?.verdict,
    ).toBe("pass");
  });

  it("passes the app host's nft ruleset and lists what is open", () => {
    const e = evaluateFirewall([nft("nft-ruleset-app-role.txt")], APP);
    expect(verdicts(e)).toEqual(["firewall-active:pass", "default-deny-inbound:pass", "only-allowed-ports:pass"]);
    expect(check(e, "only-allowed-ports")?.evidence).toBe("open TCP: 22; 80,443");
  });

  it("fails extra ports, a whole-subnet allow and 3306 from a source that is not the app host, with ufw fixes", () => {
    const e = evaluateFirewall([ufw("ufw-status-assorted.txt")], DB);
    const ports = check(e, "only-allowed-ports");
    expect(ports?.verdict).toBe("fail");
    expect(ports?.evidence).toContain("not allowed: 2222");
    expect(ports?.evidence).toContain("not allowed: every port from 192.168.1.0/24");
    expect(ports?.evidence).toContain("not allowed: 3306 from 2001:db8::/32");
    expect(ports?.evidence).not.toContain("6379"); // allowed on lo only
    expect(ports?.fix).toContain("sudo ufw delete allow 2222/tcp");
    expect(ports?.fix).toContain("sudo ufw allow from 10.0.0.30 to any port 3306 proto tcp");
  });

  it("fails when every firewall says inactive, fixing with SSH allowed first", () => {
    const e = evaluateFirewall(
      [
        ufw("ufw-status-inactive.txt"),
        nft("nft-ruleset-debian-default.txt"),
        ipt("iptables-save-ufw-disabled.txt", "ip6tables-save-plain-accept.txt"),
      ],
      DB,
    );
    expect(verdicts(e)).toEqual(["firewall-active:fail", "default-deny-inbound:fail", "only-allowed-ports:fail"]);
    const enable = [
      "sudo ufw allow 22/tcp",
      "sudo ufw default deny incoming",
      "sudo ufw allow from 10.0.0.30 to any port 3306 proto tcp",
      "sudo ufw enable",
    ].join("\n");
    expect(e.checks.map((c) => c.fix)).toEqual([enable, enable, enable]);
  });

  it("stays unknown when ufw is inactive but nft could not be read, and when nothing could be read", () => {
    expect(verdicts(evaluateFirewall([ufw("ufw-status-inactive.txt"), nft("nft-ruleset-not-root.txt")], DB))).toEqual([
      "firewall-active:unknown",
      "default-deny-inbound:unknown",
      "only-allowed-ports:unknown",
    ]);
    const none = evaluateFirewall(
      [ufw("ufw-status-not-root.txt"), nft("nft-ruleset-not-root.txt"), ipt("iptables-save-not-root.txt")],
      APP,
    );
    expect(none.checks.map((c) => [c.verdict, c.fix])).toEqual([
      ["unknown", null],
      ["unknown", null],
      ["unknown", null],
    ]);
    expect(check(none, "firewall-active")?.evidence).toContain("ERROR: You need to be root");
    expect(evaluateFirewall([], APP).checks.every((c) => c.verdict === "unknown")).toBe(true);
  });

  it("takes the first active firewall: nft when ufw is off", () => {
    const e = evaluateFirewall([ufw("ufw-status-inactive.txt"), nft("nft-ruleset-db-role.txt")], DB);
    expect(e.backend).toBe("nft");
    expect(check(e, "only-allowed-ports")?.evidence).toContain("not allowed: 8000:8100");
  });

  it("fails default-deny when IPv6 is left open, and accepts a host holding two roles", () => {
    const e = evaluateFirewall([ipt("iptables-save-plain.txt", "ip6tables-save-plain-accept.txt")], APP);
    expect(check(e, "default-deny-inbound")).toMatchObject({ verdict: "fail", fix: "sudo ufw default deny incoming\nsudo ufw reload" });
    const both = evaluateFirewall([ufw("ufw-status-db-role.txt")], { roles: ["app", "db"], privateSources: ["10.0.0.0/24"] });
    expect(check(both, "only-allowed-ports")?.verdict).toBe("pass");
  });
});
