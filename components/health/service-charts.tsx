"use client";

import { MetricChart } from "./metric-chart";

type ChartSpec = { subject: (own: string) => string; metrics: string[]; title: string; unit: string };

const own = (s: string) => s;
const CONTAINER: ChartSpec[] = [
  { subject: own, metrics: ["containerCpu"], title: "Container CPU", unit: " %" },
  { subject: own, metrics: ["containerMem"], title: "Container memory", unit: " B" },
];

/** What each kind of service charts from its recorded samples. */
const CHARTS: Record<string, ChartSpec[]> = {
  app: [
    { subject: own, metrics: ["latency"], title: "Internal ping latency", unit: " ms" },
    { subject: () => "external", metrics: ["latency"], title: "External ping latency", unit: " ms" },
    { subject: own, metrics: ["restarts"], title: "Container restarts", unit: "" },
    ...CONTAINER,
  ],
  db: [
    { subject: own, metrics: ["connections", "threadsRunning"], title: "Database connections", unit: "" },
    { subject: own, metrics: ["latency"], title: "Query latency", unit: " ms" },
    { subject: own, metrics: ["slowQueries"], title: "Slow queries", unit: "" },
    { subject: own, metrics: ["dbBytes"], title: "Database size", unit: " B" },
    ...CONTAINER,
  ],
  cache: [
    { subject: own, metrics: ["usedMemory"], title: "Cache memory used", unit: " B" },
    { subject: own, metrics: ["latency"], title: "PING latency", unit: " ms" },
    { subject: own, metrics: ["clients"], title: "Clients", unit: "" },
    { subject: own, metrics: ["keysDb0", "keysDb1", "keysDb2"], title: "Keys per DB", unit: "" },
    { subject: own, metrics: ["evicted"], title: "Evicted keys", unit: "" },
    ...CONTAINER,
  ],
  proxy: [
    { subject: own, metrics: ["latency"], title: "Admin API latency", unit: " ms" },
    { subject: own, metrics: ["upstreamFails"], title: "Upstream failures", unit: "" },
    { subject: own, metrics: ["certDays"], title: "TLS days left", unit: "" },
    ...CONTAINER,
  ],
};

/** uPlot charts of one service's samples over the chosen range. */
export function ServiceCharts({ stack, kind, subject, hours }: { stack: string; kind: string; subject: string; hours: number }) {
  const charts = CHARTS[kind] ?? [];
  if (charts.length === 0) return <p className="text-sm text-muted">No samples are recorded for {kind} services.</p>;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {charts.map((c) => (
        <MetricChart
          key={c.title}
          stack={stack}
          subject={c.subject(subject)}
          metrics={c.metrics}
          title={c.title}
          unit={c.unit}
          hours={hours}
        />
      ))}
    </div>
  );
}
