import { describe, expect, it } from "vitest";
import { parseUfwRow, parseUfwStatus, ufwFirewallView } from "./parse-ufw-status";
import { readFixture } from "./read-fixture";

describe("ufw status verbose", () => {
  it("reads the db role: active, default deny, 22 from anywhere, 3306 from the app host only", () => {
    const s = parseUfwStatus(readFixture("ufw-status-db-role.txt"));
    expect(s).toMatchObject({ readable: true, active: true, incoming: "deny", outgoing: "allow", routed: "disabled" });
    expect(s.rules.map((r) => [r.ports, r.proto, r.action, r.direction, r.from, r.isV6])).toEqual([
      [[{ from: 22, to: 22 }], "tcp", "ALLOW", "IN", "Anywhere", false],
      [[{ from: 3306, to: 3306 }], "tcp", "ALLOW", "IN", "10.0.0.30", false],
      [[{ from: 22, to: 22 }], "tcp", "ALLOW", "IN", "Anywhere", true],
    ]);
  });

  it("reads every row shape ufw printed: LIMIT, lists, ranges, no proto, app profiles, interfaces, v6 sources, OUT and FWD", () => {
    const rules = parseUfwStatus(readFixture("ufw-status-assorted.txt")).rules;
    expect(rules).toHaveLength(25);
    const row = (raw: string) => rules.find((r) => r.raw.startsWith(raw));
    expect(row("2222/tcp ")).toMatchObject({ action: "LIMIT", direction: "IN" });
    expect(row("80,443/tcp ")?.ports).toEqual([
      { from: 80, to: 80 },
      { from: 443, to: 443 },
    ]);
    expect(row("60000:61000/udp ")).toMatchObject({ ports: [{ from: 60000, to: 61000 }], proto: "udp" });
    expect(row("53 ")).toMatchObject({ proto: "any", ports: [{ from: 53, to: 53 }] });
    expect(row("22/tcp (OpenSSH) ")).toMatchObject({ app: "OpenSSH", isV6: false });
    expect(row("22/tcp (OpenSSH (v6))")).toMatchObject({ app: "OpenSSH", isV6: true });
    expect(row("6379/tcp (v6) on lo")).toMatchObject({ iface: "lo", isV6: true });
    expect(row("Anywhere ")).toMatchObject({ ports: "any", from: "192.168.1.0/24", action: "ALLOW" });
    // ufw lists this IPv6-only rule in the v6 block without a "(v6)" mark: only its source says so
    expect(rules.find((r) => r.from === "2001:db8::/32")).toMatchObject({ isV6: true, ports: [{ from: 3306, to: 3306 }] });
    expect(row("25/tcp                     DENY OUT")).toMatchObject({ direction: "OUT", action: "DENY" });
    expect(row("8080/tcp on docker0")).toMatchObject({ direction: "FWD", iface: "docker0" });
  });

  it("reads the shorter `ufw status` (no defaults: those stay unknown)", () => {
    const s = parseUfwStatus(readFixture("ufw-status-plain.txt"));
    expect(s).toMatchObject({ readable: true, active: true, incoming: "unknown" });
    expect(s.rules.map((r) => r.direction)).toEqual(["IN", "IN"]);
  });

  it("takes 'inactive' as a real answer, and an active ufw without rules as having none", () => {
    for (const name of ["ufw-status-inactive.txt", "ufw-status-inactive-with-rules.txt"]) {
      expect(parseUfwStatus(readFixture(name))).toMatchObject({ readable: true, active: false, rules: [] });
    }
    expect(parseUfwStatus(readFixture("ufw-status-active-no-rules.txt"))).toMatchObject({
      readable: true,
      active: true,
      incoming: "deny",
      rules: [],
    });
  });

  it("gives unknown for the not-root error, empty output, garbage and cut-off output", () => {
    const notRoot = parseUfwStatus(readFixture("ufw-status-not-root.txt"));
    expect(notRoot).toMatchObject({
      readable: false,
      active: "unknown",
      incoming: "unknown",
      problem: "ufw said: ERROR: You need to be root to run this script",
    });
    for (const text of ["", "sudo: ufw: command not found", "Status: maybe"])
      expect(parseUfwStatus(text)).toMatchObject({ readable: false, active: "unknown" });
    const full = readFixture("ufw-status-db-role.txt");
    expect(parseUfwStatus("Status: active\n")).toMatchObject({ readable: false, active: true, incoming: "unknown" });
    expect(parseUfwStatus(full.slice(0, full.indexOf("3306/tcp") + 20))).toMatchObject({ readable: false, rules: [] });
  });

  it("gives the firewall view: ALLOW and LIMIT coming in over TCP", () => {
    const view = ufwFirewallView(parseUfwStatus(readFixture("ufw-status-assorted.txt")));
    expect(view).toMatchObject({ backend: "ufw", active: true, defaultInbound: "deny" });
    expect(view.acceptedTcp.some((a) => a.rule.startsWith("60000:61000/udp"))).toBe(false);
    expect(view.acceptedTcp.find((a) => a.rule.startsWith("3306/tcp "))?.sources).toEqual(["10.0.0.30"]);
    expect(view.acceptedTcp.filter((a) => a.rule.includes("OUT") || a.rule.includes("FWD"))).toEqual([]);
    expect(ufwFirewallView(parseUfwStatus(readFixture("ufw-status-inactive.txt")))).toMatchObject({
      active: false,
      defaultInbound: "unknown",
    });
  });

  it("reads a destination address and a comment", () => {
    expect(parseUfwRow("10.0.0.10 22/tcp            ALLOW IN    Anywhere                   # admin")).toMatchObject({
      toAddress: "10.0.0.10",
      from: "Anywhere",
    });
    expect(parseUfwRow("22/tcp                     ALLOW IN    Anywhere                   (log)")?.from).toBe("Anywhere");
  });
});
