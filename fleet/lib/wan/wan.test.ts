import { describe, expect, it } from "vitest";
import { parseDuration, parseRate, wanRoutes } from "./wan";

describe("fleet up --wan flags", () => {
  it("reads durations and rates as tc writes them, and names the flag when it cannot", () => {
    expect(parseDuration("40ms", "--delay")).toBe(40);
    expect(parseDuration("1.5s", "--for")).toBe(1500);
    expect(parseDuration("25", "--delay")).toBe(25);
    expect(parseRate("20mbit", "--rate")).toBe(2_500_000);
    expect(parseRate("512kbit", "--rate")).toBe(64_000);
    expect(() => parseDuration("soon", "--for")).toThrow('--for: expected a duration such as 40ms or 20s, got "soon"');
    expect(() => parseRate("20MB", "--rate")).toThrow("--rate: expected a rate such as 20mbit or 512kbit");
  });

  it("routes every host's SSH, and HTTP where the public site is served, each on a port of its own", () => {
    const routes = wanRoutes();
    expect(routes.find((r) => r.host === "db" && r.port === 22)).toBeTruthy();
    expect(routes.find((r) => r.host === "app" && r.port === 80)).toBeTruthy();
    expect(routes.find((r) => r.host === "db" && r.port === 80)).toBeUndefined();
    expect(new Set(routes.map((r) => r.listenPort)).size).toBe(routes.length);
  });
});
