/**
 * The chosen window, or from just before the first sample when the samples begin later (a fresh
 * panel): then the points spread over the chart instead of standing in a line at its right edge.
 */
export function xRange(times: number[], hours: number, now = Date.now() / 1000): [number, number] {
  const windowStart = now - hours * 3600;
  const first = times[0];
  if (first === undefined || first <= windowStart) return [windowStart, now];
  const pad = Math.max(60, (now - first) * 0.05);
  return [Math.max(windowStart, first - pad), now];
}
