"use client";

import { useEffect, useRef } from "react";
import "uplot/dist/uPlot.min.css";

/** The stack's score per run as a uPlot line (0–100 %), like the health charts; a run nothing could be judged in is a gap. */
export function ScoreChart({ times, scores }: { times: number[]; scores: (number | null)[] }) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el || times.length === 0) return;
    let plot: { destroy(): void } | undefined;
    let cancelled = false;
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return;
      plot = new UPlot(
        {
          width: Math.max(240, el.clientWidth),
          height: 140,
          scales: { x: { time: true }, y: { range: [0, 100] } },
          axes: [{ stroke: "#888" }, { stroke: "#888", size: 48, values: (_u, ticks) => ticks.map((t) => `${t}%`) }],
          series: [{}, { label: "score", stroke: "#2563eb", width: 1.5, points: { show: true } }],
        },
        [times, scores] as never,
        el,
      );
    });
    return () => {
      cancelled = true;
      plot?.destroy();
    };
  }, [times, scores]);

  return (
    <figure className="grid gap-1" data-points={times.length}>
      <figcaption className="text-xs font-medium text-fg">Score per run</figcaption>
      {times.length < 2 ? <p className="text-xs text-muted">The trend shows from the second run on.</p> : null}
      <div ref={ref} className="min-h-0 w-full overflow-hidden" />
    </figure>
  );
}
