import { evaluateAlerts } from "@/server/services/alerts/evaluate";
import { getLatestSweep, rememberSweep, runFresh, runOnce } from "./latest";
import { OTHER_HOSTS, runOtherHostsSweep } from "./other-hosts";
import { recordHostReachability } from "./host-reachability";
import { compactSamples, recordSamples } from "./samples";
import { runHealthSweep, type SweepOptions } from "./sweep";
import type { SweepResult } from "./types";
import { redactStringLeaves } from "@/server/redact-literals";
import { stackRedactor } from "@/server/services/secrets/stack-secrets";

/** Raw samples are written at most this often per stack (~1/min), whatever the sweep interval. */
const SAMPLE_EVERY_MS = 55_000;
const COMPACT_EVERY_MS = 10 * 60_000;

const lastSampleAt = new Map<string, number>();
let lastCompactAt = 0;

/** How a round meets one already running: the scheduler joins it; "Check now" wants one started after the click. */
export interface MonitorOptions extends SweepOptions {
  fresh?: boolean;
}

/**
 * One monitoring round for a stack: sweep, remember it for the dashboard, store samples, feed the
 * alert rules. Used by the scheduler and by "Check now".
 */
export function monitorStack(stack: { id: string; name: string }, options: MonitorOptions = {}): Promise<SweepResult> {
  return monitorRound(stack, options.fresh ?? false, () => runHealthSweep(stack.id, options));
}

/** The same round for the hosts placed in no stack (stackId "" in snapshots, samples and alerts). */
export function monitorOtherHosts(options: MonitorOptions = {}): Promise<SweepResult> {
  return monitorRound(OTHER_HOSTS, options.fresh ?? false, () => runOtherHostsSweep(options));
}

function monitorRound(stack: { id: string; name: string }, fresh: boolean, sweepOnce: () => Promise<SweepResult>): Promise<SweepResult> {
  const run = fresh ? runFresh : runOnce;
  return run(stack.id, async () => {
    const sweep = await redactSweep(stack.id, await sweepOnce());
    const previous = getLatestSweep(stack.id);
    await rememberSweep(sweep).catch((err: unknown) => console.error(`[health] could not store the last sweep of ${stack.name}:`, err));
    const now = Date.now();
    if (!previous || now - (lastSampleAt.get(stack.id) ?? 0) >= SAMPLE_EVERY_MS) {
      lastSampleAt.set(stack.id, now);
      await recordSamples(sweep);
    }
    await recordHostReachability(sweep.checks).catch((err: unknown) => console.error("[health] could not record host reachability:", err));
    await evaluateAlerts(stack, sweep.checks).catch((err: unknown) => console.error("[alerts] evaluation failed:", err));
    if (now - lastCompactAt >= COMPACT_EVERY_MS) {
      lastCompactAt = now;
      await compactSamples(now).catch((err: unknown) => console.error("[health] sample compaction failed:", err));
    }
    return sweep;
  });
}

/**
 * Security: a check's reason quotes what the host or the app answered (80 characters of a broken app's
 * body, a remote error): redacted with the stack's secrets before the dashboard, the hosts' last error
 * and the alerts see it; viewers read all three.
 */
export async function redactSweep(stackId: string, sweep: SweepResult): Promise<SweepResult> {
  const clean = await stackRedactor(stackId || null);
  return { ...sweep, checks: sweep.checks.map((c) => redactStringLeaves(c, clean)) };
}
