import type { ContainerStats } from "@/server/adapters/docker/types";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { isAppError } from "@/server/errors";
import { pooledTransport, withDocker, type ProbeTransport } from "./transport";

/** CPU and memory of one running container (Docker stats API, one sample). */
export interface ContainerStat {
  name: string;
  cpuPct: number;
  memBytes: number;
  memLimitBytes: number;
}

/** What the health view needs from `docker inspect` of a service container. */
export interface ContainerFacts {
  name: string;
  exists: boolean;
  running: boolean;
  state: string;
  restartCount: number;
  health: string | null;
  startedAt: string | null;
  image: string | null;
  env: string[];
  cmd: string[];
  labels: Record<string, string>;
}

/** A container's cumulative CPU counters at one sample: the next sample's CPU % is measured against them. */
export interface ContainerCpuSample {
  containerId: string;
  totalUsage: number;
  systemUsage: number;
  onlineCpus: number;
}

/** The host's running containers (id and name), through the Engine API. */
export async function listRunningContainers(
  target: SshTarget,
  transport: ProbeTransport = pooledTransport(),
): Promise<{ id: string; name: string }[]> {
  const list = await withDocker(transport, target, (docker) => docker.listContainers());
  return list.map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, "") }));
}

/**
 * `docker stats --no-stream` for the given running containers, through the Engine API. Given the
 * previous reading's CPU counters, a container is read with Docker's one-shot stats and its CPU % is
 * measured over the whole interval since; without one, dockerd takes two samples about a second apart.
 * (The health sweep reads cgroups instead and uses this only for a container it found none for.)
 */
export async function readContainerStats(
  target: SshTarget,
  transport: ProbeTransport = pooledTransport(),
  previous: ReadonlyMap<string, ContainerCpuSample> = new Map(),
  containers?: { id: string; name: string }[],
): Promise<{ containers: ContainerStat[]; samples: Map<string, ContainerCpuSample> }> {
  const list = containers ?? (await listRunningContainers(target, transport));
  const samples = new Map<string, ContainerCpuSample>();
  const stats = await Promise.all(
    list.map(async (c) => {
      const before = previous.get(c.id);
      const raw = await withDocker(transport, target, (docker) => docker.readStats(c.id, { oneShot: before !== undefined }));
      const sample = cpuSampleOf(c.id, raw);
      if (sample) samples.set(c.id, sample);
      return { name: c.name, ...summarizeStats(raw, before) };
    }),
  );
  return { containers: stats, samples };
}

function cpuSampleOf(containerId: string, s: ContainerStats): ContainerCpuSample | null {
  const totalUsage = s.cpu_stats?.cpu_usage?.total_usage;
  const systemUsage = s.cpu_stats?.system_cpu_usage;
  if (!totalUsage || !systemUsage) return null;
  const onlineCpus = s.cpu_stats?.online_cpus || s.cpu_stats?.cpu_usage?.percpu_usage?.length || 1;
  return { containerId, totalUsage, systemUsage, onlineCpus };
}

/**
 * CPU percent as `docker stats` computes it (the CPU time the container used over the host's, times
 * the CPUs), against the sample's own `precpu_stats` or, for a one-shot sample, the previous
 * sample; memory without the page cache.
 */
export function summarizeStats(s: ContainerStats, previous?: ContainerCpuSample): Omit<ContainerStat, "name"> {
  const pre = s.precpu_stats?.system_cpu_usage
    ? { total: s.precpu_stats.cpu_usage?.total_usage ?? 0, system: s.precpu_stats.system_cpu_usage }
    : previous
      ? { total: previous.totalUsage, system: previous.systemUsage }
      : { total: 0, system: 0 };
  const cpuDelta = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - pre.total;
  const systemDelta = (s.cpu_stats?.system_cpu_usage ?? 0) - pre.system;
  const cpus = s.cpu_stats?.online_cpus || s.cpu_stats?.cpu_usage?.percpu_usage?.length || 1;
  const cpuPct = cpuDelta > 0 && systemDelta > 0 && pre.system > 0 ? Math.round((cpuDelta / systemDelta) * cpus * 1000) / 10 : 0;
  const memStats = (s.memory_stats?.stats ?? {}) as Record<string, number | undefined>;
  const cache = memStats.inactive_file ?? memStats.total_inactive_file ?? 0;
  const memBytes = Math.max(0, (s.memory_stats?.usage ?? 0) - cache);
  return { cpuPct, memBytes, memLimitBytes: s.memory_stats?.limit ?? 0 };
}

/** Inspect one container by name; a missing container is reported, not thrown. */
export async function inspectServiceContainer(
  target: SshTarget,
  name: string,
  transport: ProbeTransport = pooledTransport(),
): Promise<ContainerFacts> {
  try {
    const info = await withDocker(transport, target, (docker) => docker.inspectContainer(name, { action: `inspect ${name}` }));
    return {
      name,
      exists: true,
      running: info.State.Running,
      state: info.State.Status,
      restartCount: info.RestartCount ?? 0,
      health: info.State.Health?.Status ?? null,
      startedAt: info.State.StartedAt ?? null,
      image: info.Config.Image ?? null,
      env: info.Config.Env ?? [],
      cmd: [...(info.Config.Entrypoint ?? []), ...(info.Config.Cmd ?? [])],
      labels: info.Config.Labels ?? {},
    };
  } catch (err) {
    if (isAppError(err) && err.code === "NOT_FOUND") {
      return {
        name,
        exists: false,
        running: false,
        state: "missing",
        restartCount: 0,
        health: null,
        startedAt: null,
        image: null,
        env: [],
        cmd: [],
        labels: {},
      };
    }
    throw err;
  }
}
