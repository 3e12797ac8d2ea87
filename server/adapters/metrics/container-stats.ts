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

/** `docker stats --no-stream` for every running container on the host, through the Engine API. */
export async function readContainerStats(target: SshTarget, transport: ProbeTransport = pooledTransport()): Promise<ContainerStat[]> {
  const list = await withDocker(transport, target, (docker) => docker.listContainers());
  return Promise.all(
    list.map(async (c) => {
      const stats = await withDocker(transport, target, (docker) => docker.readStats(c.Id));
      return { name: (c.Names[0] ?? c.Id).replace(/^\//, ""), ...summarizeStats(stats) };
    }),
  );
}

/** CPU percent as `docker stats` computes it; memory without the page cache. */
export function summarizeStats(s: ContainerStats): Omit<ContainerStat, "name"> {
  const cpuDelta = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats?.online_cpus || s.cpu_stats?.cpu_usage?.percpu_usage?.length || 1;
  const cpuPct = cpuDelta > 0 && systemDelta > 0 ? Math.round((cpuDelta / systemDelta) * cpus * 1000) / 10 : 0;
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
