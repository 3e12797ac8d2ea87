import { describe, expect, it } from "vitest";
import { xRange } from "./chart-window";

describe("xRange", () => {
  const now = 1_800_000_000;
  it("shows the whole chosen window when the samples reach back that far", () => {
    expect(xRange([now - 30 * 3600, now - 60], 24, now)).toEqual([now - 24 * 3600, now]);
  });
  it("starts just before the first sample when samples began later, so they spread out", () => {
    expect(xRange([now - 600, now - 60], 24, now)).toEqual([now - 660, now]);
    expect(xRange([now - 20, now - 10], 24, now)).toEqual([now - 80, now]);
  });
  it("never starts before the window", () => {
    expect(xRange([now - 3599], 1, now)[0]).toBe(now - 3600);
  });
});
