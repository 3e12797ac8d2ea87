import { describe, expect, it } from "vitest";
import type { ContainerStats } from "@/server/adapters/docker/types";
import { summarizeStats } from "./container-stats";

const sample = (total: number, system: number, pre?: { total: number; system: number }) =>
  ({
    cpu_stats: { cpu_usage: { total_usage: total }, system_cpu_usage: system, online_cpus: 2 },
    precpu_stats: pre ? { cpu_usage: { total_usage: pre.total }, system_cpu_usage: pre.system } : { cpu_usage: {} },
    memory_stats: { usage: 50_000_000, limit: 1_000_000_000, stats: { inactive_file: 10_000_000 } },
  }) as unknown as ContainerStats;

describe("summarizeStats", () => {
  it("measures CPU as docker stats does, against the sample's own precpu_stats", () => {
    // 0.25 of the host's CPU time, times 2 CPUs = 50 %.
    expect(summarizeStats(sample(2_000, 40_000, { total: 1_000, system: 36_000 }))).toEqual({
      cpuPct: 50,
      memBytes: 40_000_000,
      memLimitBytes: 1_000_000_000,
    });
  });

  it("measures a one-shot sample (no precpu_stats) against the previous sweep's counters", () => {
    const previous = { containerId: "c1", totalUsage: 1_000, systemUsage: 30_000, onlineCpus: 2 };
    // 1000 of 10000 ns of host CPU time, times 2 CPUs = 20 %.
    expect(summarizeStats(sample(2_000, 40_000), previous).cpuPct).toBe(20);
  });

  it("says 0 % rather than inventing a figure when a one-shot sample has nothing to compare with", () => {
    expect(summarizeStats(sample(2_000, 40_000)).cpuPct).toBe(0);
  });
});
