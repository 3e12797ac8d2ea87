import { db } from "@/server/db";
import { monitorOtherHosts, monitorStack } from "@/server/services/health/monitor";

const DEFAULT_INTERVAL_MS = 30_000;
const FIRST_DELAY_MS = 3_000;
const KEY = Symbol.for("pixelfox.healthScheduler");

interface SchedulerHandle {
  intervalMs: number;
  stop(): void;
}

/** The interval from PANEL_HEALTH_INTERVAL_MS (default 30 s); 0 disables the scheduler. */
export function readHealthInterval(env: Record<string, string | undefined> = process.env): number {
  const raw = env.PANEL_HEALTH_INTERVAL_MS;
  if (raw === undefined || raw === "") return DEFAULT_INTERVAL_MS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`PANEL_HEALTH_INTERVAL_MS must be 0 (off) or a number of milliseconds ≥ 1000, got "${raw}"`);
  return n === 0 ? 0 : Math.max(1000, n);
}

/**
 * Start the health scheduler once per server process (guarded on globalThis): every interval,
 * with ±10 % jitter so panels and hosts do not beat in step, sweep each stack in turn. A sweep
 * that outlasts the interval delays the next one (never two at once). Stacks locked by a deploy
 * are skipped for that round. Then the hosts placed in no stack get their own round.
 */
export function startHealthScheduler(intervalMs = readHealthInterval()): SchedulerHandle | null {
  const g = globalThis as unknown as Record<symbol, SchedulerHandle | undefined>;
  if (g[KEY]) return g[KEY];
  if (intervalMs === 0) return null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => void tick(), delay);
    timer.unref();
  };
  const tick = async () => {
    try {
      const stacks = await db.stack.findMany({ select: { id: true, name: true } });
      // A stack in the middle of a deploy or rollback is not swept: the deploy runs its own health
      // gate, and probes must not compete with it for the hosts' SSH channels. The dashboard keeps
      // the last sweep, with its age, until the lock is released.
      const locked = new Set((await db.stackLock.findMany({ select: { stackId: true } })).map((l) => l.stackId));
      for (const stack of stacks.filter((s) => !locked.has(s.id)))
        await monitorStack(stack).catch((err: unknown) => console.error(`[health] sweep of ${stack.name} failed:`, err));
      // Hosts placed in no stack are checked too (disk, reachability, host key), as their own round.
      await monitorOtherHosts().catch((err: unknown) => console.error("[health] sweep of the hosts outside any stack failed:", err));
    } catch (err) {
      console.error("[health] scheduler tick failed:", err);
    } finally {
      schedule(intervalMs * (0.9 + Math.random() * 0.2));
    }
  };
  schedule(FIRST_DELAY_MS);
  g[KEY] = {
    intervalMs,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      g[KEY] = undefined;
    },
  };
  return g[KEY];
}
