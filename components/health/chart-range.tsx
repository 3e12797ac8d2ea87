"use client";

import { Button } from "@/components/ui/button";

/** Time ranges the charts offer: raw samples for a day, 15-minute averages beyond. */
export const CHART_RANGES = [
  { hours: 1, label: "1 h" },
  { hours: 6, label: "6 h" },
  { hours: 24, label: "24 h" },
  { hours: 24 * 7, label: "7 d" },
  { hours: 24 * 30, label: "30 d" },
] as const;

/** A row of toggle buttons choosing the charts' time range. */
export function ChartRange({ hours, onChange }: { hours: number; onChange: (hours: number) => void }) {
  return (
    <div role="group" aria-label="Time range" className="flex flex-wrap gap-1">
      {CHART_RANGES.map((r) => (
        <Button
          key={r.hours}
          type="button"
          size="sm"
          variant={r.hours === hours ? "secondary" : "ghost"}
          aria-pressed={r.hours === hours}
          onClick={() => onChange(r.hours)}
        >
          {r.label}
        </Button>
      ))}
    </div>
  );
}
