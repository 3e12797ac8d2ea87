import { db } from "@/server/db";
import type { SweepResult } from "./types";

interface LatestStore {
  sweeps: Map<string, SweepResult>;
  /** Stacks whose remembered sweep was read back from the store (a previous process ran it). */
  restored: Set<string>;
  running: Map<string, RunningSweep>;
}

interface RunningSweep {
  promise: Promise<SweepResult>;
  startedAt: number;
}

/** The last sweep of a stack and whether this process ran it or read it back after a restart. */
export interface LatestSweep {
  sweep: SweepResult;
  /** True until this process finishes a sweep of its own: the state is the last known, not fresh. */
  isRestored: boolean;
}

const KEY = Symbol.for("pixelfox.health.latest");

/** Process-wide memory of the last sweep per stack (kept on globalThis across dev reloads). */
function store(): LatestStore {
  const g = globalThis as unknown as Record<symbol, LatestStore | undefined>;
  g[KEY] ??= { sweeps: new Map(), restored: new Set(), running: new Map() };
  return g[KEY];
}

/** The last finished sweep of a stack in this process's memory (including one read back), or null. */
export function getLatestSweep(stackId: string): SweepResult | null {
  return store().sweeps.get(stackId) ?? null;
}

/**
 * The last sweep of a stack: from memory, else from the HealthSnapshot the previous process left,
 * so a restarted panel shows the last known state at once instead of an empty page.
 */
export async function loadLatestSweep(stackId: string): Promise<LatestSweep | null> {
  const s = store();
  const known = s.sweeps.get(stackId);
  if (known) return { sweep: known, isRestored: s.restored.has(stackId) };
  const row = await db.healthSnapshot.findUnique({ where: { stackId } });
  if (!row) return null;
  let sweep: SweepResult;
  try {
    sweep = JSON.parse(row.data) as SweepResult;
  } catch {
    console.error(`[health] ignoring an unreadable health snapshot for stack "${stackId}"`);
    return null;
  }
  // A sweep finished by this process while the snapshot was read wins.
  if (s.sweeps.has(stackId)) return { sweep: s.sweeps.get(stackId)!, isRestored: s.restored.has(stackId) };
  s.sweeps.set(stackId, sweep);
  s.restored.add(stackId);
  return { sweep, isRestored: true };
}

/** Remember a finished sweep in memory and persist it as the stack's HealthSnapshot. */
export async function rememberSweep(sweep: SweepResult): Promise<void> {
  const s = store();
  s.sweeps.set(sweep.stackId, sweep);
  s.restored.delete(sweep.stackId);
  const row = { at: new Date(sweep.startedAt), data: JSON.stringify(sweep) };
  await db.healthSnapshot.upsert({ where: { stackId: sweep.stackId }, create: { stackId: sweep.stackId, ...row }, update: row });
}

/** Older than this, a sweep is shown as the last known state rather than live. */
const STALE_AFTER_MS = 5 * 60_000;

/** Read back after a restart (not re-checked by this process yet), or simply old. */
export function isSweepStale(latest: LatestSweep, now = Date.now()): boolean {
  return latest.isRestored || now - new Date(latest.sweep.startedAt).getTime() > STALE_AFTER_MS;
}

/** Run `fn` unless a sweep of this stack is already running, in which case join it (the scheduler's way). */
export function runOnce(stackId: string, fn: () => Promise<SweepResult>): Promise<SweepResult> {
  const running = store().running;
  const existing = running.get(stackId);
  if (existing) return existing.promise;
  const promise = fn().finally(() => running.delete(stackId));
  running.set(stackId, { promise, startedAt: Date.now() });
  return promise;
}

/**
 * A sweep that starts no earlier than this call ("Check now" after stopping or fixing something must
 * see it): join one that started since, else wait for the older one to end and run anew.
 */
export async function runFresh(stackId: string, fn: () => Promise<SweepResult>): Promise<SweepResult> {
  const requestedAt = Date.now();
  for (;;) {
    const existing = store().running.get(stackId);
    if (!existing) return runOnce(stackId, fn);
    if (existing.startedAt >= requestedAt) return existing.promise;
    await existing.promise.catch(() => undefined);
  }
}
