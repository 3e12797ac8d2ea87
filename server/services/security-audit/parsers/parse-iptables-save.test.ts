import { describe, expect, it } from "vitest";
import { iptablesFirewallView, parseIptablesSave } from "./parse-iptables-save";
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
const save = (name: string) => parseIptablesSave(readFixture(name));

describe("iptables-save", () => {
  it("follows ufw's chains from INPUT to ufw-user-input (and back out of ufw-not-local's conditional RETURN)", () => {
    const v4 = save("iptables-save-ufw-db-role.txt");
    expect(v4).toMatchObject({
      readable: true,
      ipVersion: 4,
      inputPolicy: "DROP",
      managedByUfw: true,
      dockerChains: [],
      legacyTablesPresent: false,
    });
    expect(v4.input?.fallThrough).toBe("drop");
    expect(open(v4.input?.acceptedTcp ?? [])).toEqual([
      ["22", "any", 4],
      ["3306", "10.0.0.30/32", 4],
    ]);
    const view = iptablesFirewallView(v4, save("ip6tables-save-ufw-db-role.txt"));
    expect(view).toMatchObject({ backend: "iptables", active: true, defaultInbound: "deny" });
    expect(open(view.acceptedTcp)).toEqual([
      ["22", "any", 4],
      ["3306", "10.0.0.30/32", 4],
      ["22", "any", 6],
    ]);
  });

  it("reads multiport lists and ranges, -s sources, user chains and LIMIT's accept chain", () => {
    const plain = save("iptables-save-plain.txt");
    expect(open(plain.input?.acceptedTcp ?? [])).toEqual([
      ["22", "192.0.2.10/32", 4],
      ["80,443", "any", 4],
      ["6379", "10.0.0.30/32", 4],
      ["9100-9110", "10.0.0.0/24", 4],
      ["8443", "any", 4],
    ]);
    expect(plain.input?.acceptedTcp[1]?.rule).toBe("-A ssh-in -s 192.0.2.10/32 -j ACCEPT ← -A INPUT -p tcp -m tcp --dport 22 -j ssh-in");
    const assorted = save("iptables-save-ufw-assorted.txt");
    expect(open(assorted.input?.acceptedTcp ?? [])).toContainEqual(["2222", "any", 4]);
    expect(open(assorted.input?.acceptedTcp ?? [])).toContainEqual(["any", "192.168.1.0/24", 4]);
  });

  it("keeps IPv6 apart: an ip6tables INPUT that accepts by default is not default-deny", () => {
    const view = iptablesFirewallView(save("iptables-save-plain.txt"), save("ip6tables-save-plain-accept.txt"));
    expect(view.defaultInbound).toBe("allow");
    expect(open(view.acceptedTcp)).toContainEqual(["any", "any", 6]);
  });

  it("cannot confirm default-deny without the ip6tables-save output, but can still see an open IPv4", () => {
    expect(iptablesFirewallView(save("iptables-save-ufw-db-role.txt")).defaultInbound).toBe("unknown");
    expect(iptablesFirewallView(save("iptables-save-ufw-disabled.txt")).defaultInbound).toBe("allow");
  });

  it("sees ufw's leftover empty chains after `ufw disable` as no filtering", () => {
    const disabled = save("iptables-save-ufw-disabled.txt");
    expect(disabled).toMatchObject({ inputPolicy: "ACCEPT", managedByUfw: true });
    expect(iptablesFirewallView(disabled).active).toBe(false);
  });

  it("lists Docker's chains and the nat table's DNAT rules", () => {
    const s = save("iptables-save-ufw-docker.txt");
    expect(s.dockerChains).toEqual(["DOCKER", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2", "DOCKER-USER"]);
    expect(s.dockerPublished.map((d) => [d.hostIp, d.hostPort.from, d.destination])).toEqual([
      ["any", 3306, "172.18.0.2:3306"],
      ["127.0.0.1", 4000, "172.18.0.3:4000"],
      ["10.0.0.10", 6379, "172.18.0.4:6379"],
    ]);
    // the filter table's DOCKER chain hangs off FORWARD: it opens nothing in INPUT
    expect(open(s.input?.acceptedTcp ?? [])).toEqual([
      ["22", "any", 4],
      ["3306", "10.0.0.30/32", 4],
    ]);
  });

  it("flags rules kept in iptables-legacy, which this output does not show", () => {
    const s = save("iptables-save-plain-with-legacy.txt");
    expect(s.legacyTablesPresent).toBe(true);
    expect(s.evidence).toContain("iptables-legacy tables present");
    expect(parseIptablesSave(readFixture("iptables-legacy-save.txt")).inputPolicy).toBe("DROP");
  });

  it("gives unknown for the not-root error, empty output, garbage and a table cut before COMMIT", () => {
    const denied = save("iptables-save-not-root.txt");
    expect(denied).toMatchObject({ readable: false, inputPolicy: "unknown", input: null });
    expect(denied.problem).toContain("Permission denied (you must be root)");
    const full = readFixture("iptables-save-ufw-db-role.txt");
    for (const text of [readFixture("iptables-save-empty.txt"), "garbage\n", full.slice(0, full.indexOf("COMMIT"))]) {
      const s = parseIptablesSave(text);
      expect(s.readable).toBe(false);
      expect(iptablesFirewallView(s)).toMatchObject({ active: "unknown", defaultInbound: "unknown", acceptedTcp: [] });
    }
  });

  it("reads the empty output as 'no rules, nothing filtered' when the caller knows it ran as root and exited 0", () => {
    const s = parseIptablesSave(readFixture("iptables-save-empty.txt"), { ranOk: true, ipVersion: 4 });
    expect(s).toMatchObject({ readable: true, inputPolicy: "ACCEPT", ipVersion: 4 });
    expect(iptablesFirewallView(s)).toMatchObject({ active: false, defaultInbound: "allow" });
  });
});
