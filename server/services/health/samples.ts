import { db } from "@/server/db";
import type { SweepResult } from "./types";

const RAW_KEEP_MS = 24 * 3600_000;
const BUCKET_S = 900;
const BUCKET_KEEP_MS = 30 * 86_400_000;

/** Store every metric of a sweep as raw samples (bucket 0). */
export async function recordSamples(sweep: SweepResult): Promise<number> {
  const at = new Date(sweep.startedAt);
  const data = sweep.checks.flatMap((c) =>
    Object.entries(c.metrics)
      .filter(([, v]) => Number.isFinite(v))
      .map(([metric, value]) => ({ at, stackId: sweep.stackId, subject: c.subject, metric, value, bucket: 0 })),
  );
  if (data.length) await db.healthSample.createMany({ data });
  return data.length;
}

/**
 * Downsample and prune: raw samples older than 24 h become 15-minute averages, averages older
 * than 30 days are deleted. Idempotent; cheap when there is nothing to do.
 */
export async function compactSamples(now = Date.now()): Promise<{ averaged: number; deleted: number }> {
  const rawCutoff = new Date(now - RAW_KEEP_MS);
  const old = await db.healthSample.findMany({ where: { bucket: 0, at: { lt: rawCutoff } }, take: 50_000, orderBy: { id: "asc" } });
  const groups = new Map<string, { stackId: string; subject: string; metric: string; at: Date; sum: number; n: number }>();
  for (const s of old) {
    const start = Math.floor(s.at.getTime() / 1000 / BUCKET_S) * BUCKET_S * 1000;
    const key = `${s.stackId}\0${s.subject}\0${s.metric}\0${start}`;
    const g = groups.get(key) ?? { stackId: s.stackId, subject: s.subject, metric: s.metric, at: new Date(start), sum: 0, n: 0 };
    g.sum += s.value;
    g.n += 1;
    groups.set(key, g);
  }
  const averages = [...groups.values()].map((g) => ({
    stackId: g.stackId,
    subject: g.subject,
    metric: g.metric,
    at: g.at,
    value: g.sum / g.n,
    bucket: BUCKET_S,
  }));
  const ids = old.map((s) => s.id);
  await db.$transaction([db.healthSample.createMany({ data: averages }), db.healthSample.deleteMany({ where: { id: { in: ids } } })]);
  const pruned = await db.healthSample.deleteMany({ where: { bucket: BUCKET_S, at: { lt: new Date(now - BUCKET_KEEP_MS) } } });
  return { averaged: averages.length, deleted: ids.length + pruned.count };
}

/** Chart data: timestamps (s) and one value array per metric, nulls where a metric is missing. */
export interface SampleSeries {
  times: number[];
  series: Record<string, (number | null)[]>;
}

/** Samples of one subject since `sinceMs` ago, raw and averaged, merged by time. */
export async function listSampleSeries(stackId: string, subject: string, metrics: string[], sinceMs: number): Promise<SampleSeries> {
  const rows = await db.healthSample.findMany({
    where: { stackId, subject, metric: { in: metrics }, at: { gte: new Date(Date.now() - sinceMs) } },
    orderBy: { at: "asc" },
    take: 20_000,
  });
  const times = [...new Set(rows.map((r) => Math.floor(r.at.getTime() / 1000)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const series: SampleSeries["series"] = Object.fromEntries(metrics.map((m) => [m, times.map(() => null)]));
  for (const r of rows) {
    const i = index.get(Math.floor(r.at.getTime() / 1000));
    const arr = series[r.metric];
    if (arr && i !== undefined) arr[i] = Math.round(r.value * 100) / 100;
  }
  return { times, series };
}
