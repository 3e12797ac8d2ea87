import { AppError } from "@/server/errors";
import { describeFailure } from "./failure";
import type { CheckKind, CheckResult, HealthStatus } from "./types";

type Base = { subject: string; kind: CheckKind; hostId: string | null; hostName: string | null };

/** A finished check. */
export function makeResult(
  base: Base,
  status: HealthStatus,
  fields: Partial<Omit<CheckResult, keyof Base | "status" | "checkedAt">> = {},
): CheckResult {
  return { ...base, status, reason: null, latencyMs: null, metrics: {}, details: {}, ...fields, checkedAt: new Date().toISOString() };
}

/** A check that threw: down, with the categorised reason. */
export function failedResult(base: Base, err: unknown, started: number, details: Record<string, unknown> = {}): CheckResult {
  const failure = describeFailure(err);
  return makeResult(base, "down", { reason: failure.message, failure, latencyMs: Math.round(performance.now() - started), details });
}

/**
 * Longest a single check may take. A host that silently drops packets leaves a pooled connection
 * hanging until SSH keepalives give up (30 s) and a channel open waits on it with no timer of its
 * own: without a deadline one dead host would hold the whole sweep, and every later one joining it.
 */
export const CHECK_DEADLINE_MS = 20_000;

/** Run a check, turning anything it throws (or a check that outlives the deadline) into a down result. */
export async function guardCheck(base: Base, run: () => Promise<CheckResult>, deadlineMs = CHECK_DEADLINE_MS): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const who = base.hostName ? `host ${base.hostName}` : base.subject;
      reject(
        new AppError(
          "HOST_TIMEOUT",
          `No answer from ${who} within ${Math.round(deadlineMs / 1000)} s: the host or the network to it may be down. It is checked again on the next sweep.`,
          { host: base.hostName ?? undefined },
        ),
      );
    }, deadlineMs);
  });
  try {
    return await Promise.race([run(), deadline]);
  } catch (err) {
    return failedResult(base, err, started);
  } finally {
    clearTimeout(timer);
  }
}
