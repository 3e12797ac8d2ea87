"use client";

/** Relative time ("5 min ago") with the exact local time on hover; `never` when there is no date. */
export function Timestamp({ value, never = "never" }: { value: Date | string | null | undefined; never?: string }) {
  if (!value) return <span className="text-muted">{never}</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  return (
    <time dateTime={date.toISOString()} title={date.toLocaleString()} className="whitespace-nowrap tabular-nums">
      {formatRelativeTime(date)}
    </time>
  );
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

export function formatRelativeTime(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  // Older than a week: a date reads better than "23 days ago" in an audit trail.
  if (Math.abs(seconds) > 7 * 86_400) return date.toLocaleDateString(undefined, { dateStyle: "medium" });
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(seconds, "second");
}

/** Uptime as the two largest units ("3d 4h", "12m"). */
export function formatDuration(totalSeconds: number): string {
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  if (minutes > 0) return `${minutes}m`;
  return `${Math.max(0, Math.floor(totalSeconds))}s`;
}
