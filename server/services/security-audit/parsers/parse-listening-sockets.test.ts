import { describe, expect, it } from "vitest";
import { isAllInterfaces, isLoopback, parseListeningSockets, parseSocketLine } from "./parse-listening-sockets";
import { readFixture } from "./read-fixture";

describe("ss -ltn", () => {
  it("reads every address form ss printed: %lo, [::ffff:127.0.0.1], *, [::], a link-local scope", () => {
    const { readable, sockets } = parseListeningSockets(readFixture("ss-ltnH.txt"));
    expect(readable).toBe(true);
    expect(sockets.map((s) => [s.address, s.iface, s.port, s.family])).toEqual([
      ["0.0.0.0", "lo", 13306, 4],
      ["127.0.0.1", "lo", 10053, 4],
      ["127.0.0.1", null, 16379, 4],
      ["10.0.0.10", null, 16380, 4],
      ["0.0.0.0", null, 2200, 4],
      ["0.0.0.0", null, 3306, 4],
      ["0.0.0.0", null, 18080, 4],
      ["0.0.0.0", null, 18081, 4],
      ["fd00::10", null, 16381, 6],
      ["::1", null, 15432, 6],
      ["::ffff:127.0.0.1", null, 14000, 6],
      ["::", null, 18443, 6],
      ["*", null, 18444, "dual"],
      ["::", null, 2200, 6],
      ["fe80::8478:d1ff:fec5:3e09", "vaudit0", 16382, 6],
      ["::", null, 3306, 6],
    ]);
    expect(sockets.every((s) => s.processes === "unknown")).toBe(true);
  });

  it("tells all-interfaces from loopback-only sockets", () => {
    const byPort = new Map(parseListeningSockets(readFixture("ss-ltnH.txt")).sockets.map((s) => [s.port, s]));
    const open = [...byPort.values()].filter(isAllInterfaces).map((s) => s.port);
    expect(open).toEqual([2200, 3306, 18080, 18081, 18443, 18444]);
    const local = [...byPort.values()].filter(isLoopback).map((s) => s.port);
    expect(local).toEqual([13306, 10053, 16379, 15432, 14000]);
    expect(isAllInterfaces(byPort.get(13306)!)).toBe(false); // 0.0.0.0 pinned to lo
  });

  it("reads the processes of `ss -ltnp`, several when workers share the socket", () => {
    const sockets = parseListeningSockets(readFixture("ss-ltnpH.txt")).sockets;
    expect(sockets.find((s) => s.port === 18081)?.processes).toEqual([
      { name: "python3", pid: 27754 },
      { name: "python3", pid: 27712 },
    ]);
    expect(sockets.find((s) => s.port === 3306 && s.family === 4)?.processes).toEqual([{ name: "docker-proxy", pid: 27471 }]);
    expect(sockets.find((s) => s.port === 2200 && s.family === 6)?.processes).toEqual([{ name: "sshd", pid: 27473 }]);
  });

  it("leaves processes unknown when ss ran without root (it drops the column silently)", () => {
    const r = parseListeningSockets(readFixture("ss-ltnpH-not-root.txt"));
    expect(r.readable).toBe(true);
    expect(r.sockets.every((s) => s.processes === "unknown")).toBe(true);
  });

  it("skips the header of `ss -ltn`", () => {
    expect(parseListeningSockets(readFixture("ss-ltn-with-header.txt")).sockets).toHaveLength(16);
  });

  it("gives unknown for empty output, errors, service names instead of numbers, garbage and a cut line", () => {
    const lines = readFixture("ss-ltnH.txt").split("\n");
    const cut = [...lines.slice(0, 3), (lines[3] ?? "").slice(0, 30)].join("\n");
    for (const text of ["", "bash: ss: command not found", "LISTEN 0 128 0.0.0.0:ssh 0.0.0.0:*", "nonsense", cut]) {
      expect(parseListeningSockets(text)).toMatchObject({ readable: false, sockets: [] });
    }
    expect(parseSocketLine("LISTEN 0 128 0.0.0.0:ssh 0.0.0.0:*")).toBeNull();
  });
});
