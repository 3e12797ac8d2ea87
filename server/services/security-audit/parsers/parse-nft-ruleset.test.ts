import { describe, expect, it } from "vitest";
import { nftFirewallView, parseNftRuleset } from "./parse-nft-ruleset";
import { readFixture } from "./read-fixture";
import type { AcceptedTcp } from "./types";

const open = (accepted: AcceptedTcp[]) =>
  accepted
    .filter((a) => a.iface !== "lo")
    .map((a) => [
      a.ports === "any" ? "any" : a.ports.map((p) => (p.from === p.to ? p.from : `${p.from}-${p.to}`)).join(","),
      a.sources === "any" ? "any" : a.sources.join(","),
      a.ipVersion,
    ]);

describe("nft list ruleset", () => {
  it("reads an inet default-deny ruleset with a port set", () => {
    const r = parseNftRuleset(readFixture("nft-ruleset-app-role.txt"));
    expect(r).toMatchObject({ readable: true, tables: ["inet filter"], hasIptablesNftTables: false });
    expect(r.inputChains).toHaveLength(1);
    expect(r.inputChains[0]).toMatchObject({ chain: "input", policy: "drop", fallThrough: "drop" });
    const view = nftFirewallView(r);
    expect(view).toMatchObject({ active: true, defaultInbound: "deny" });
    expect(open(view.acceptedTcp)).toEqual([
      ["22", "any", "both"],
      ["80,443", "any", "both"],
    ]);
  });

  it("reads `nft -a` output the same, handles left out of the evidence", () => {
    const withHandles = nftFirewallView(parseNftRuleset(readFixture("nft-ruleset-app-role-handles.txt")));
    expect(withHandles.acceptedTcp).toEqual(nftFirewallView(parseNftRuleset(readFixture("nft-ruleset-app-role.txt"))).acceptedTcp);
    expect(withHandles.evidence).not.toContain("handle");
  });

  it("answers who may reach which port: named sets, anonymous sets, ranges, IPv6 sources, jumped chains", () => {
    const view = nftFirewallView(parseNftRuleset(readFixture("nft-ruleset-db-role.txt")));
    expect(open(view.acceptedTcp)).toEqual([
      ["22", "192.0.2.10,192.0.2.11", 4],
      ["22", "any", "both"],
      ["3306", "10.0.0.30", 4],
      ["6379", "10.0.0.30,10.0.0.31", 4],
      ["8000-8100", "any", "both"],
      ["9100", "10.0.0.0/24", 4],
      ["3306", "fd00::30", 6],
    ]);
    expect(view.acceptedTcp.find((a) => a.ports !== "any" && a.ports[0]?.from === 9100)?.rule).toBe(
      "services: tcp dport 9100 ip saddr 10.0.0.0/24 accept",
    );
  });

  it("sees a ruleset that accepts by default as not default-deny, and Debian's stock ruleset as filtering nothing", () => {
    const acceptAll = nftFirewallView(parseNftRuleset(readFixture("nft-ruleset-accept-all.txt")));
    expect(acceptAll).toMatchObject({ active: true, defaultInbound: "allow" });
    expect(open(acceptAll.acceptedTcp)).toContainEqual(["any", "any", 4]);
    expect(nftFirewallView(parseNftRuleset(readFixture("nft-ruleset-debian-default.txt")))).toMatchObject({
      active: false,
      defaultInbound: "allow",
    });
  });

  it("follows ufw's chains as iptables-nft wrote them, LIMIT's accept chain included", () => {
    const r = parseNftRuleset(readFixture("nft-ruleset-ufw-assorted.txt"));
    expect(r).toMatchObject({ hasIptablesNftTables: true, tables: ["ip filter", "ip6 filter"] });
    const view = nftFirewallView(r);
    expect(view.defaultInbound).toBe("deny");
    const v4 = open(view.acceptedTcp).filter((a) => a[2] === 4);
    expect(v4).toEqual([
      ["22", "any", 4],
      ["3306", "10.0.0.30", 4],
      ["2222", "any", 4],
      ["80,443", "any", 4],
      ["22", "any", 4],
      ["any", "192.168.1.0/24", 4],
      ["53", "any", 4],
    ]);
  });

  it("tells IPv4 and IPv6 apart: iptables rules without ip6tables leave IPv6 open", () => {
    const view = nftFirewallView(parseNftRuleset(readFixture("nft-ruleset-iptables-plain.txt")));
    expect(view.defaultInbound).toBe("allow");
    expect(open(view.acceptedTcp)).toContainEqual(["any", "any", 6]);
    expect(open(view.acceptedTcp)).toContainEqual(["22", "192.0.2.10", 4]);
  });

  it("lists Docker's DNAT rules: what they publish never meets the input chain", () => {
    const r = parseNftRuleset(readFixture("nft-ruleset-ufw-docker.txt"));
    expect(r.dockerPublished.map((d) => [d.hostIp, d.hostPort.from, d.destination])).toEqual([
      ["any", 3306, "172.18.0.2:3306"],
      ["127.0.0.1", 4000, "172.18.0.3:4000"],
      ["10.0.0.10", 6379, "172.18.0.4:6379"],
    ]);
  });

  it("gives unknown for permission errors, empty output, garbage and cut-off output", () => {
    const denied = parseNftRuleset(readFixture("nft-ruleset-not-root.txt"));
    expect(denied).toMatchObject({ readable: false, problem: "nft failed: Operation not permitted (you must be root)" });
    expect(nftFirewallView(denied)).toMatchObject({ active: "unknown", defaultInbound: "unknown", acceptedTcp: [] });
    const full = readFixture("nft-ruleset-app-role.txt");
    for (const text of [
      readFixture("nft-ruleset-empty.txt"),
      "hello world",
      "table inet filter {\n\tchain input {",
      full.slice(0, full.indexOf("chain forward")),
    ]) {
      expect(nftFirewallView(parseNftRuleset(text))).toMatchObject({ readable: false, active: "unknown", defaultInbound: "unknown" });
    }
  });

  it("reads the empty output as 'no ruleset' when the caller knows nft ran as root and exited 0", () => {
    const r = parseNftRuleset(readFixture("nft-ruleset-empty.txt"), { ranOk: true });
    expect(nftFirewallView(r)).toMatchObject({ readable: true, active: false, defaultInbound: "allow" });
  });
});
