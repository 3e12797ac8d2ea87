import type { Tone } from "@/components/ui/tone";

export type HealthStatusName = "ok" | "warn" | "down" | "unknown" | "unchecked";

/** One colour and word per state; "unchecked" (no sweep yet) is grey, never green. */
export const STATUS_LOOK: Record<HealthStatusName, { tone: Tone; label: string; box: string }> = {
  ok: { tone: "success", label: "ok", box: "border-success/60 bg-success/10" },
  warn: { tone: "warning", label: "warning", box: "border-warning/60 bg-warning/10" },
  down: { tone: "danger", label: "down", box: "border-danger bg-danger/15" },
  unknown: { tone: "neutral", label: "unknown", box: "border-border-strong bg-subtle" },
  unchecked: { tone: "neutral", label: "not checked", box: "border-dashed border-border-strong bg-subtle" },
};

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAge(from: Date | string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(from).getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
