import { listRunningContainers } from "@/server/adapters/metrics/container-stats";
import { readHostSnapshot } from "@/server/adapters/metrics/host-snapshot";
import type { ProbeTransport } from "@/server/adapters/metrics/transport";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { guardCheck, makeResult } from "./check-result";
import { mergeMountUsage, parseDf } from "./parse-df";
import { computeCpuUsage, parseLoadavg, parseMeminfo, parseProcStat } from "./parse-proc";
import type { CheckResult, ContainerUsage, HealthStatus } from "./types";
import type { CpuCounters } from "./parse-proc";
import { readContainerUsage, type ContainerMemory } from "./host-containers";

/** A host's last /proc/stat counters: the next sweep measures CPU over the whole interval, without waiting. */
const lastCpu = new Map<string, { counters: CpuCounters; at: number }>();
/** Each container's last CPU reading on a host: the next sweep measures its CPU over the whole interval too. */
const lastContainers = new Map<string, { memory: ContainerMemory; at: number }>();
const CPU_MEMORY_MAX_AGE_MS = 5 * 60_000;

/** Percent at which a mount or memory shows warn. Alerts have their own (configurable) threshold. */
export const HOST_WARN_PCT = 90;

/**
 * CPU (two /proc/stat reads: the previous sweep's and this one's, or two reads `sampleMs` apart on
 * the first sweep), load, memory, IO wait, disk and inode use per mount, and CPU/memory per running
 * container (from its cgroup counters, the same way), for one host. SSH failures make the host down
 * with the reason.
 */
export function checkHost(
  host: { id: string; name: string },
  target: SshTarget,
  transport: ProbeTransport,
  sampleMs = 1000,
): Promise<CheckResult> {
  const base = { subject: `host:${host.name}`, kind: "host" as const, hostId: host.id, hostName: host.name };
  return guardCheck(base, async () => {
    const started = performance.now();
    const previous = lastCpu.get(host.id);
    const hasPrevious = previous !== undefined && Date.now() - previous.at < CPU_MEMORY_MAX_AGE_MS;
    const [snap, list] = await Promise.all([
      readHostSnapshot(target, { transport, sampleMs: hasPrevious ? 0 : sampleMs }),
      listRunningContainers(target, transport).catch(() => null),
    ]);
    const before = lastContainers.get(host.id);
    const memory = before && Date.now() - before.at < CPU_MEMORY_MAX_AGE_MS ? before.memory : undefined;
    const read = list ? await readContainerUsage(target, transport, list, snap, memory).catch(() => null) : null;
    if (read) lastContainers.set(host.id, { memory: read.memory, at: Date.now() });
    const containers = read?.usage ?? null;
    const now = parseProcStat(snap.statSecond || snap.procFirst);
    const a = hasPrevious ? previous.counters : parseProcStat(snap.procFirst);
    if (now) lastCpu.set(host.id, { counters: now, at: Date.now() });
    const cpu = a && now ? computeCpuUsage(a, now) : null;
    const load = parseLoadavg(snap.procFirst.split("\n").find((l) => /^\d+\.\d+ \d+\.\d+ \d+\.\d+ /.test(l)) ?? "");
    const mem = parseMeminfo(snap.procFirst);
    const mounts = mergeMountUsage(parseDf(snap.dfBlocks), parseDf(snap.dfInodes));
    const metrics: Record<string, number> = {};
    if (cpu) Object.assign(metrics, { cpu: cpu.cpuPct, iowait: cpu.iowaitPct });
    if (load) metrics.load1 = load.load1;
    if (mem) metrics.mem = mem.usedPct;
    const worstDisk = Math.max(0, ...mounts.map((m) => m.usedPct));
    const worstInodes = Math.max(0, ...mounts.map((m) => m.inodesUsedPct ?? 0));
    metrics.disk = worstDisk;
    metrics.inodes = worstInodes;
    const problems: string[] = [];
    for (const m of mounts) {
      if (m.usedPct > HOST_WARN_PCT) problems.push(`${m.mount} is ${m.usedPct} % full`);
      if ((m.inodesUsedPct ?? 0) > HOST_WARN_PCT) problems.push(`${m.mount} uses ${m.inodesUsedPct} % of its inodes`);
    }
    if (mem && mem.usedPct > 95) problems.push(`memory ${mem.usedPct} % used`);
    const status: HealthStatus = !cpu || !mem ? "unknown" : problems.length ? "warn" : "ok";
    const usage: ContainerUsage[] | null = containers;
    return makeResult(base, status, {
      reason: status === "unknown" ? "could not read /proc on the host" : problems.join("; ") || null,
      latencyMs: Math.max(0, Math.round(performance.now() - started - snap.sampleMs)),
      metrics,
      details: { load, memTotalKb: mem?.totalKb ?? null, mounts, containers: usage },
    });
  });
}
