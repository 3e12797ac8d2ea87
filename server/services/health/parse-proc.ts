/** Aggregate CPU counters (jiffies) from the first line of /proc/stat. */
export interface CpuCounters {
  total: number;
  idle: number;
  iowait: number;
}

/** Reads the `cpu ` line of /proc/stat; null when the text has none. */
export function parseProcStat(text: string): CpuCounters | null {
  const line = text.split("\n").find((l) => /^cpu\s/.test(l));
  if (!line) return null;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  if (values.length < 4 || values.some((v) => !Number.isFinite(v))) return null;
  // user nice system idle iowait irq softirq steal (guest columns are already inside user/nice)
  const fields = values.slice(0, 8);
  const idle = fields[3] ?? 0;
  const iowait = fields[4] ?? 0;
  return { total: fields.reduce((a, b) => a + b, 0), idle, iowait };
}

/** CPU busy and IO-wait percentages between two /proc/stat reads. */
export function computeCpuUsage(a: CpuCounters, b: CpuCounters): { cpuPct: number; iowaitPct: number } {
  const total = b.total - a.total;
  if (total <= 0) return { cpuPct: 0, iowaitPct: 0 };
  const idle = b.idle - a.idle + (b.iowait - a.iowait);
  return { cpuPct: round1(((total - idle) / total) * 100), iowaitPct: round1(((b.iowait - a.iowait) / total) * 100) };
}

/** Memory in use from /proc/meminfo (MemTotal − MemAvailable), in kB and percent. */
export function parseMeminfo(text: string): { totalKb: number; availableKb: number; usedPct: number } | null {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m?.[1] && m[2]) values.set(m[1], Number(m[2]));
  }
  const totalKb = values.get("MemTotal");
  if (!totalKb) return null;
  // Kernels before 3.14 have no MemAvailable: approximate with free + buffers + cache.
  const availableKb =
    values.get("MemAvailable") ?? (values.get("MemFree") ?? 0) + (values.get("Buffers") ?? 0) + (values.get("Cached") ?? 0);
  return { totalKb, availableKb, usedPct: round1(((totalKb - availableKb) / totalKb) * 100) };
}

/** The three load averages from /proc/loadavg. */
export function parseLoadavg(text: string): { load1: number; load5: number; load15: number } | null {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  if (![a, b, c].every((v) => typeof v === "number" && Number.isFinite(v))) return null;
  return { load1: a!, load5: b!, load15: c! };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
