import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { compactSamples, listSampleSeries, recordSamples } from "./samples";

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

const HOUR = 3_600_000;

describe("sample history", () => {
  it("keeps raw samples for a day, 15-minute averages for 30 days, and prunes the rest", async () => {
    const now = Date.UTC(2026, 10, 28, 12, 0, 0);
    const at = (msAgo: number) => new Date(now - msAgo);
    const base = { stackId: "s1", subject: "host:app", metric: "cpu" };
    await db.healthSample.createMany({
      data: [
        { ...base, at: at(2 * HOUR), value: 50, bucket: 0 },
        // Two raw samples 30 h ago in the same 15-minute bucket, one in the next.
        { ...base, at: new Date(Date.UTC(2026, 10, 27, 6, 1)), value: 10, bucket: 0 },
        { ...base, at: new Date(Date.UTC(2026, 10, 27, 6, 7)), value: 30, bucket: 0 },
        { ...base, at: new Date(Date.UTC(2026, 10, 27, 6, 16)), value: 70, bucket: 0 },
        { ...base, at: at(31 * 24 * HOUR), value: 99, bucket: 900 },
      ],
    });
    const result = await compactSamples(now);
    expect(result).toEqual({ averaged: 2, deleted: 4 });
    const rows = await db.healthSample.findMany({ where: base, orderBy: { at: "asc" } });
    expect(rows.map((r) => [r.at.toISOString(), r.value, r.bucket])).toEqual([
      ["2026-11-27T06:00:00.000Z", 20, 900],
      ["2026-11-27T06:15:00.000Z", 70, 900],
      [at(2 * HOUR).toISOString(), 50, 0],
    ]);
    expect(await compactSamples(now)).toEqual({ averaged: 0, deleted: 0 });
  });

  it("records every finite metric of a sweep and reads them back as chart series", async () => {
    const startedAt = new Date().toISOString();
    const check = {
      subject: "db@db",
      kind: "db" as const,
      hostId: "h",
      hostName: "db",
      status: "ok" as const,
      reason: null,
      latencyMs: 3,
      checkedAt: startedAt,
      details: {},
    };
    const n = await recordSamples({
      stackId: "s2",
      stackName: "p",
      startedAt,
      durationMs: 1,
      checks: [{ ...check, metrics: { connections: 4, latency: 3, bad: Number.NaN } }],
    });
    expect(n).toBe(2);
    const series = await listSampleSeries("s2", "db@db", ["connections", "threadsRunning"], HOUR);
    expect(series.times).toHaveLength(1);
    expect(series.series).toEqual({ connections: [4], threadsRunning: [null] });
  });
});
