import { describe, expect, it } from "vitest";
import { explainCronError, findNextRun, listNextRuns, measureCronInterval } from "./cron";

describe("cron expressions", () => {
  it("accepts 5-field and 6-field (seconds) expressions", () => {
    expect(explainCronError("0 3 * * *")).toBeNull();
    expect(explainCronError("*/5 * * * * *")).toBeNull();
  });

  it("names the rule when an expression is invalid", () => {
    expect(explainCronError("61 * * * *")).toMatch(/minute.*61.*5 fields/);
    expect(explainCronError("bogus")).toMatch(/5 fields.*got 1 field/);
    expect(explainCronError("0 0 0 1 1 * 2030")).toMatch(/got 7 field/);
  });

  it("lists next runs in UTC and measures the interval", () => {
    const after = new Date("2026-11-28T07:00:00Z");
    expect(listNextRuns("0 3 * * *", 2, "UTC", after).map((d) => d.toISOString())).toEqual([
      "2026-11-29T03:00:00.000Z",
      "2026-11-30T03:00:00.000Z",
    ]);
    expect(findNextRun("*/5 * * * * *", "UTC", after)?.toISOString()).toBe("2026-11-28T07:00:05.000Z");
    expect(measureCronInterval("0 3 * * *", "UTC", after)).toBe(86_400_000);
    expect(measureCronInterval("0 3 * * 1-5", "UTC", after)).toBe(3 * 86_400_000);
  });
});
