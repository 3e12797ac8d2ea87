import { describe, expect, it } from "vitest";
import { selectRetention, type RetentionCandidate } from "./retention";

const now = new Date("2026-11-28T12:00:00Z");
const at = (iso: string, extra: Partial<RetentionCandidate> = {}): RetentionCandidate => ({
  id: iso,
  isGood: true,
  isRunning: false,
  createdAt: new Date(iso),
  ...extra,
});
const removed = (list: RetentionCandidate[], policy: { keepLast: number; keepDaily: number; keepWeekly: number }) =>
  selectRetention(list, policy, now)
    .remove.map((r) => r.id)
    .sort();

describe("selectRetention", () => {
  it("keeps the last N good backups and removes older ones", () => {
    const list = [at("2026-11-28T11:00:00Z"), at("2026-11-28T10:00:00Z"), at("2026-11-28T09:00:00Z"), at("2026-11-28T08:00:00Z")];
    expect(removed(list, { keepLast: 2, keepDaily: 0, keepWeekly: 0 })).toEqual(["2026-11-28T08:00:00Z", "2026-11-28T09:00:00Z"]);
  });

  it("never removes the newest good backup, even with every tier at 0", () => {
    const list = [at("2026-11-28T11:00:00Z"), at("2026-11-27T11:00:00Z")];
    expect(removed(list, { keepLast: 0, keepDaily: 0, keepWeekly: 0 })).toEqual(["2026-11-27T11:00:00Z"]);
  });

  it("keeps nothing-but-failed history when there is no good backup (only day-old failures go)", () => {
    const list = [at("2026-11-28T11:00:00Z", { isGood: false }), at("2026-11-26T11:00:00Z", { isGood: false })];
    expect(removed(list, { keepLast: 1, keepDaily: 0, keepWeekly: 0 })).toEqual(["2026-11-26T11:00:00Z"]);
  });

  it("keeps the newest of each of the last D days and W weeks", () => {
    const list = [
      at("2026-11-28T11:00:00Z"),
      at("2026-11-28T01:00:00Z"), // today (Saturday)
      at("2026-11-27T23:00:00Z"),
      at("2026-11-27T05:00:00Z"), // yesterday
      at("2026-11-25T10:00:00Z"), // 3 days ago: beyond daily 2, same week (Mon 23rd…) as today
      at("2026-11-20T10:00:00Z"),
      at("2026-11-19T10:00:00Z"), // last week
      at("2026-11-01T10:00:00Z"), // four weeks ago
    ];
    expect(removed(list, { keepLast: 1, keepDaily: 2, keepWeekly: 2 })).toEqual([
      "2026-11-01T10:00:00Z",
      "2026-11-19T10:00:00Z",
      "2026-11-25T10:00:00Z",
      "2026-11-27T05:00:00Z",
      "2026-11-28T01:00:00Z",
    ]);
  });

  it("never touches running backups and keeps failures younger than a day", () => {
    const list = [
      at("2026-11-28T11:00:00Z"),
      at("2026-11-20T11:00:00Z", { isRunning: true, isGood: false }),
      at("2026-11-28T10:00:00Z", { isGood: false }),
    ];
    expect(removed(list, { keepLast: 1, keepDaily: 0, keepWeekly: 0 })).toEqual([]);
  });

  it("keeps the newest backup whose restore drill passed, even beyond every tier", () => {
    const list = [
      at("2026-11-28T11:00:00Z"),
      at("2026-11-28T10:00:00Z", { drillPassed: false }),
      at("2026-11-20T10:00:00Z", { drillPassed: true }),
      at("2026-11-19T10:00:00Z", { drillPassed: true }),
    ];
    const decision = selectRetention(list, { keepLast: 1, keepDaily: 0, keepWeekly: 0 }, now);
    expect(decision.remove.map((r) => r.id).sort()).toEqual(["2026-11-19T10:00:00Z", "2026-11-28T10:00:00Z"]);
    expect(decision.keep.find((k) => k.id === "2026-11-20T10:00:00Z")?.why).toContain("last passing drill");
  });
});
