"use client";

import { useEffect, useRef } from "react";
import "uplot/dist/uPlot.min.css";
import { api } from "@/trpc/react";
import { xRange } from "./chart-window";
import { formatBytes } from "./status-style";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2"];

/** A uPlot line chart of stored samples for one subject; says so when there are none yet. */
export function MetricChart({
  stack,
  subject,
  metrics,
  title,
  unit,
  hours = 24,
}: {
  stack: string;
  subject: string;
  metrics: string[];
  title: string;
  unit: string;
  hours?: number;
}) {
  const data = api.health.series.useQuery({ stack, subject, metrics, hours }, { refetchInterval: 30_000 });
  const ref = useRef<HTMLDivElement>(null);
  const points = data.data?.times.length ?? 0;
  const first = data.data?.times[0];
  const since =
    first !== undefined && first > Date.now() / 1000 - hours * 3600 + 60
      ? new Date(first * 1000).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" })
      : null;

  useEffect(() => {
    const el = ref.current;
    const series = data.data;
    if (!el || !series || series.times.length === 0) return;
    let plot: { destroy(): void } | undefined;
    let cancelled = false;
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return;
      plot = new UPlot(
        {
          width: Math.max(240, el.clientWidth),
          height: 160,
          scales: { x: { time: true, range: () => xRange(series.times, hours) } },
          axes: [{ stroke: "#888" }, { stroke: "#888", size: 64, values: (_u, ticks) => ticks.map((t) => formatTick(t, unit)) }],
          series: [
            {},
            ...metrics.map((m, i) => ({
              label: m,
              stroke: COLORS[i % COLORS.length],
              width: 1.5,
              points: { show: series.times.length < 30 },
            })),
          ],
        },
        [series.times, ...metrics.map((m) => series.series[m] ?? [])] as never,
        el,
      );
    });
    return () => {
      cancelled = true;
      plot?.destroy();
    };
  }, [data.data, metrics, unit, hours]);

  return (
    <figure className="grid gap-1" data-testid={`chart-${title.toLowerCase().replace(/\W+/g, "-")}`} data-points={points}>
      <figcaption className="text-xs font-medium text-fg">{title}</figcaption>
      {data.isPending ? (
        <p className="text-xs text-muted">Loading samples…</p>
      ) : points === 0 ? (
        <p className="text-xs text-muted">No samples recorded yet.</p>
      ) : null}
      {since ? (
        <p className="text-xs text-muted" data-testid="chart-since">
          Since the first sample, {since}
        </p>
      ) : null}
      <div ref={ref} className="min-h-0 w-full overflow-hidden" />
    </figure>
  );
}

/** Axis label: bytes in KiB/MiB/GiB, everything else as the number and its unit. */
function formatTick(value: number, unit: string): string {
  if (unit.trim() === "B") return value < 0 ? "" : formatBytes(Math.round(value));
  return `${Number.isInteger(value) ? value : Number(value.toFixed(2))}${unit}`;
}
