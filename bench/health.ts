/**
 * Health benchmark: time for one full host sweep (two /proc/stat reads, meminfo, df -k, df -i, Docker
 * container stats) of 10, 25 and 50 sandbox hosts, with the panel's pooled SSH connections (one per
 * host, reused) against a new SSH connection per command (as Dokploy does), in the same run.
 * Uses the fleet's core hosts plus its extra plain hosts: `npm run fleet -- up --extra 47` first
 * (and `npm run fleet -- up --extra 0` afterwards). Sizes larger than the fleet are skipped and said so.
 */
import { readFileSync } from "node:fs";
import { connectionPerCommandTransport, pooledTransport } from "@/server/adapters/metrics/transport";
import { SshPool } from "@/server/adapters/ssh/pool";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { fleetHosts, targetOf, timed } from "./fleet-targets";
import { sweepHostTargets } from "@/server/services/health/sweep";

const SIZES = (process.env.BENCH_SIZES ?? "10,25,50").split(",").map(Number);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const CPU_SAMPLE_MS = Number(process.env.BENCH_CPU_SAMPLE_MS ?? 1000);
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const key = (hosts: { privateKeyPath: string }[]) => readFileSync(hosts[0]!.privateKeyPath, "utf8");

export async function main() {
  const hosts = await fleetHosts("npm run fleet -- up --extra 47");
  const targets: SshTarget[] = hosts.map((h) => targetOf(h, key(hosts)));
  console.log(`fleet: ${targets.length} hosts; concurrency ${CONCURRENCY}; CPU sample ${CPU_SAMPLE_MS} ms (the same wait in both modes)`);
  console.log(
    "First sweep: connects and waits CPU_SAMPLE_MS between two /proc/stat reads; later sweeps reuse the previous reading (no wait).",
  );
  console.log(
    "hosts | pooled, first sweep | pooled, steady sweep | new SSH connection per command, steady sweep | ratio (per-command / pooled)",
  );
  for (const size of SIZES) {
    if (size > targets.length) {
      console.log(`${size} | skipped: the fleet has only ${targets.length} hosts (npm run fleet -- up --extra ${size - 3})`);
      continue;
    }
    const subset = targets.slice(0, size);
    const pool = new SshPool();
    const options = { concurrency: CONCURRENCY, cpuSampleMs: CPU_SAMPLE_MS };
    const cold = await timed(() => sweepHostTargets(subset, { ...options, transport: pooledTransport(pool) }));
    const warm = await timed(() => sweepHostTargets(subset, { ...options, transport: pooledTransport(pool) }));
    const connections = subset.reduce((n, t) => n + pool.stats(t.hostId).connectionsOpened, 0);
    pool.closeAll();
    // Same work as the pooled steady sweep (CPU from the previous reading), but one connection per command.
    const fresh = await timed(() => sweepHostTargets(subset, { ...options, transport: connectionPerCommandTransport() }));
    const down = [cold, warm, fresh].map((r) => r.value.filter((c) => c.status !== "ok").length);
    console.log(
      `${size} | ${fmt(cold.ms)} | ${fmt(warm.ms)} (${connections} SSH connections for 2 sweeps) | ${fmt(fresh.ms)} | ${(fresh.ms / warm.ms).toFixed(2)}×` +
        (down.some((d) => d > 0) ? `  [not ok: ${down.join("/")} — ${fresh.value.find((c) => c.status !== "ok")?.reason ?? ""}]` : ""),
    );
  }
}
