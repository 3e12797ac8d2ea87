import { describe, expect, it } from "vitest";
import { readHealthInterval } from "./scheduler";

describe("readHealthInterval", () => {
  it("defaults to 30 s, 0 disables, small values are raised to 1 s, junk is refused", () => {
    expect(readHealthInterval({})).toBe(30_000);
    expect(readHealthInterval({ PANEL_HEALTH_INTERVAL_MS: "0" })).toBe(0);
    expect(readHealthInterval({ PANEL_HEALTH_INTERVAL_MS: "2000" })).toBe(2000);
    expect(readHealthInterval({ PANEL_HEALTH_INTERVAL_MS: "10" })).toBe(1000);
    expect(() => readHealthInterval({ PANEL_HEALTH_INTERVAL_MS: "soon" })).toThrow(/PANEL_HEALTH_INTERVAL_MS/);
  });
});
