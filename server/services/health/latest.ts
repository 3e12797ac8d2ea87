import type { SweepResult } from "./types";

interface LatestStore {
  sweeps: Map<string, SweepResult>;
  running: Map<string, Promise<SweepResult>>;
}

const KEY = Symbol.for("pixelfox.health.latest");

/** Process-wide memory of the last sweep per stack (kept on globalThis across dev reloads). */
function store(): LatestStore {
  const g = globalThis as unknown as Record<symbol, LatestStore | undefined>;
  g[KEY] ??= { sweeps: new Map(), running: new Map() };
  return g[KEY];
}

/** The last finished sweep of a stack, or null when none ran since the panel started. */
export function getLatestSweep(stackId: string): SweepResult | null {
  return store().sweeps.get(stackId) ?? null;
}

export function rememberSweep(sweep: SweepResult): void {
  store().sweeps.set(sweep.stackId, sweep);
}

/** Run `fn` unless a sweep of this stack is already running, in which case join it. */
export function runOnce(stackId: string, fn: () => Promise<SweepResult>): Promise<SweepResult> {
  const running = store().running;
  const existing = running.get(stackId);
  if (existing) return existing;
  const p = fn().finally(() => running.delete(stackId));
  running.set(stackId, p);
  return p;
}
