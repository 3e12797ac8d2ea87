/** One container's cgroup counters, as the host snapshot reads them. */
export interface CgroupCounters {
  /** Full container id, from the cgroup's directory name. */
  containerId: string;
  /** CPU time the container has used since it started, in ns. */
  cpuNs: number;
  /** Memory in use without the inactive page cache (as `docker stats` shows it). */
  memBytes: number;
  /** The container's memory limit; null when it has none. */
  memLimitBytes: number | null;
}

const ID = /(?:^|\/)(?:docker-)?([0-9a-f]{64})(?:\.scope)?$/;
/** cgroup v1 reports "no limit" as a page-rounded 2^63. */
const V1_UNLIMITED = 2 ** 62;

/** Reads the `cg <dir>` blocks of the snapshot's cgroup part into counters per container id. */
export function parseCgroups(text: string): Map<string, CgroupCounters> {
  const out = new Map<string, CgroupCounters>();
  for (const block of text.split(/^cg /m).slice(1)) {
    const [dir = "", ...lines] = block.split("\n");
    const id = ID.exec(dir.trim())?.[1];
    if (!id) continue;
    const v = new Map<string, string>();
    for (const line of lines) {
      const [k, value] = line.trim().split(/\s+/, 2);
      if (k && value !== undefined) v.set(k, value);
    }
    const num = (k: string) => (v.has(k) && /^\d+$/.test(v.get(k)!) ? Number(v.get(k)) : null);
    const cpuNs = num("usage_ns") ?? (num("usage_usec") !== null ? num("usage_usec")! * 1000 : null);
    const used = num("usage_in_bytes") ?? num("current");
    if (cpuNs === null || used === null) continue;
    const inactive = num("total_inactive_file") ?? num("inactive_file") ?? 0;
    const limit = num("limit_in_bytes") ?? num("max");
    out.set(id, {
      containerId: id,
      cpuNs,
      memBytes: Math.max(0, used - inactive),
      memLimitBytes: limit === null || limit >= V1_UNLIMITED ? null : limit,
    });
  }
  return out;
}

/** The number of CPUs /proc/stat lists (its `cpuN` lines). */
export function countCpus(procStat: string): number {
  return Math.max(1, procStat.split("\n").filter((l) => /^cpu\d+\s/.test(l)).length);
}

/**
 * A container's CPU % between two readings, as `docker stats` computes it: the CPU time it used over
 * the time all the host's CPUs had (from /proc/stat, in USER_HZ ticks of 10 ms), times the CPUs.
 */
export function containerCpuPct(before: { cpuNs: number; systemTicks: number }, now: { cpuNs: number; systemTicks: number }, cpus: number) {
  const used = now.cpuNs - before.cpuNs;
  const system = (now.systemTicks - before.systemTicks) * 10_000_000;
  if (used <= 0 || system <= 0) return 0;
  return Math.round((used / system) * cpus * 1000) / 10;
}
