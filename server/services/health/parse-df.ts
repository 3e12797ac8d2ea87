import type { MountUsage } from "./types";

/** One row of POSIX `df -P` output (blocks in kB with -k, or inodes with -i). */
export interface DfRow {
  filesystem: string;
  total: number;
  used: number;
  available: number;
  usedPct: number;
  mount: string;
}

/** Parses `df -P -k` or `df -P -i`; mount points with spaces are kept whole. */
export function parseDf(text: string): DfRow[] {
  const rows: DfRow[] = [];
  for (const line of text.split("\n").slice(1)) {
    const m = /^(\S+)\s+(\d+|-)\s+(\d+|-)\s+(\d+|-)\s+(\d+%|-)\s+(.+)$/.exec(line.trim());
    if (!m) continue;
    const total = Number(m[2]);
    const used = Number(m[3]);
    if (!Number.isFinite(total) || !Number.isFinite(used)) continue;
    const pct = m[5] === "-" ? (total > 0 ? Math.ceil((used / total) * 100) : 0) : Number(m[5]!.slice(0, -1));
    rows.push({ filesystem: m[1]!, total, used, available: Number(m[4]) || 0, usedPct: pct, mount: m[6]! });
  }
  return rows;
}

const PSEUDO_FS = new Set(["overlay", "devtmpfs", "udev", "proc", "sysfs", "none", "shm", "nsfs", "cgroup", "cgroup2"]);
const PSEUDO_MOUNT = /^\/(proc|sys|dev|run)(\/|$)|\/docker\/|\/overlay2\/|\/containers\//;
/** Smaller than this is a placeholder mount, not storage (kB). */
const MIN_TOTAL_KB = 1024;

/** True for mounts an operator cares about: real filesystems and tmpfs outside /dev, /run, /sys. */
export function isRelevantMount(row: DfRow): boolean {
  if (PSEUDO_FS.has(row.filesystem)) return false;
  if (PSEUDO_MOUNT.test(row.mount)) return false;
  return row.total >= MIN_TOTAL_KB;
}

/** Joins block and inode usage per relevant mount. */
export function mergeMountUsage(blocks: DfRow[], inodes: DfRow[]): MountUsage[] {
  const inodeByMount = new Map(inodes.map((r) => [r.mount, r]));
  return blocks.filter(isRelevantMount).map((b) => {
    const i = inodeByMount.get(b.mount);
    return {
      mount: b.mount,
      filesystem: b.filesystem,
      totalKb: b.total,
      usedPct: b.usedPct,
      inodesUsedPct: i && i.total > 0 ? i.usedPct : null,
    };
  });
}
