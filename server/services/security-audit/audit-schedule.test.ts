import { describe, expect, it } from "vitest";
import { auditEveryHours, dueStacks } from "./audit-schedule";

describe("the daily audit schedule", () => {
  const stacks = [
    { id: "a", name: "never" },
    { id: "b", name: "fresh" },
    { id: "c", name: "stale" },
  ];
  const now = new Date("2026-12-01T12:00:00Z");
  const last = new Map([
    ["b", new Date("2026-12-01T01:00:00Z")],
    ["c", new Date("2026-11-30T11:59:00Z")],
  ]);

  it("is due for a stack never audited and one audited more than a day ago", () => {
    expect(dueStacks(stacks, last, now, 24).map((s) => s.name)).toEqual(["never", "stale"]);
    expect(dueStacks(stacks, last, now, 6).map((s) => s.name)).toEqual(["never", "fresh", "stale"]);
    expect(dueStacks(stacks, last, now, 0)).toEqual([]);
  });

  it("reads PANEL_AUDIT_EVERY_HOURS: default 24, 0 off, nonsense the default", () => {
    expect(auditEveryHours({})).toBe(24);
    expect(auditEveryHours({ PANEL_AUDIT_EVERY_HOURS: "0" })).toBe(0);
    expect(auditEveryHours({ PANEL_AUDIT_EVERY_HOURS: "6" })).toBe(6);
    expect(auditEveryHours({ PANEL_AUDIT_EVERY_HOURS: "soon" })).toBe(24);
  });
});
