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
