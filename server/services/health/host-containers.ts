import { readContainerStats, type ContainerCpuSample } from "@/server/adapters/metrics/container-stats";
import type { HostSnapshotText } from "@/server/adapters/metrics/host-snapshot";
import type { ProbeTransport } from "@/server/adapters/metrics/transport";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { containerCpuPct, countCpus, parseCgroups } from "./parse-cgroups";
import { parseMeminfo, parseProcStat } from "./parse-proc";
import type { ContainerUsage } from "./types";

/** A container's CPU reading: its cgroup's CPU time and the host's /proc/stat total at the same moment. */
interface CpuReading {
  cpuNs: number;
  systemTicks: number;
}

/** What one host's previous sweep left for the next: cgroup readings, and Docker samples for containers read through the API. */
export interface ContainerMemory {
  cgroups: Map<string, CpuReading>;
  docker: Map<string, ContainerCpuSample>;
}

/**
 * CPU and memory of each running container on a host, from the cgroup counters the host snapshot
 * read (the same counters `docker stats` reads, without waiting in dockerd): CPU % over the interval
 * since the previous sweep, or between the snapshot's two reads on a first sweep. A container whose
 * cgroup was not found (a custom cgroup parent) is read through the Docker stats API instead.
 */
export async function readContainerUsage(
  target: SshTarget,
  transport: ProbeTransport,
  list: { id: string; name: string }[],
  snap: HostSnapshotText,
  previous: ContainerMemory | undefined,
): Promise<{ usage: ContainerUsage[]; memory: ContainerMemory }> {
  const fromCgroups = usageFromCgroups(list, snap, previous?.cgroups);
  const missing = list.filter((c) => !fromCgroups.usage.has(c.id));
  const viaDocker = missing.length ? await readContainerStats(target, transport, previous?.docker, missing) : null;
  const byName = new Map(viaDocker?.containers.map((c) => [c.name, { ...c, source: "docker-api" as const }]));
  const usage = list.map((c) => fromCgroups.usage.get(c.id) ?? byName.get(c.name)).filter((u): u is ContainerUsage => u !== undefined);
  return { usage, memory: { cgroups: fromCgroups.readings, docker: viaDocker?.samples ?? new Map() } };
}

/** The pure part: usage for every listed container whose cgroup the snapshot holds. */
export function usageFromCgroups(
  list: { id: string; name: string }[],
  snap: HostSnapshotText,
  previous: ReadonlyMap<string, CpuReading> | undefined,
): { usage: Map<string, ContainerUsage>; readings: Map<string, CpuReading> } {
  const second = Boolean(snap.statSecond);
  const now = parseCgroups(second ? snap.cgroupsSecond : snap.cgroupsFirst);
  const first = second ? parseCgroups(snap.cgroupsFirst) : null;
  const ticksNow = parseProcStat(second ? snap.statSecond : snap.procFirst)?.total;
  const ticksFirst = parseProcStat(snap.procFirst)?.total;
  const cpus = countCpus(snap.procFirst);
  const memTotalBytes = (parseMeminfo(snap.procFirst)?.totalKb ?? 0) * 1024;
  const usage = new Map<string, ContainerUsage>();
  const readings = new Map<string, CpuReading>();
  if (ticksNow === undefined) return { usage, readings };
  for (const c of list) {
    const counters = now.get(c.id);
    if (!counters) continue;
    const reading = { cpuNs: counters.cpuNs, systemTicks: ticksNow };
    readings.set(c.id, reading);
    const earlier = first?.get(c.id);
    const before = earlier && ticksFirst !== undefined ? { cpuNs: earlier.cpuNs, systemTicks: ticksFirst } : previous?.get(c.id);
    usage.set(c.id, {
      name: c.name,
      cpuPct: before ? containerCpuPct(before, reading, cpus) : 0,
      memBytes: counters.memBytes,
      memLimitBytes: counters.memLimitBytes ?? memTotalBytes,
      source: "cgroup",
    });
  }
  return { usage, readings };
}
