import { describeFailure } from "./failure";
import type { CheckKind, CheckResult, HealthStatus } from "./types";

type Base = { subject: string; kind: CheckKind; hostId: string | null; hostName: string | null };

/** A finished check. */
export function makeResult(base: Base, status: HealthStatus, fields: Partial<Omit<CheckResult, keyof Base | "status" | "checkedAt">> = {}): CheckResult {
  return { ...base, status, reason: null, latencyMs: null, metrics: {}, details: {}, ...fields, checkedAt: new Date().toISOString() };
}

/** A check that threw: down, with the categorised reason. */
export function failedResult(base: Base, err: unknown, started: number, details: Record<string, unknown> = {}): CheckResult {
  const failure = describeFailure(err);
  return makeResult(base, "down", { reason: failure.message, failure, latencyMs: Math.round(performance.now() - started), details });
}

/** Run a check, turning anything it throws into a down result. */
export async function guardCheck(base: Base, run: () => Promise<CheckResult>): Promise<CheckResult> {
  const started = performance.now();
  try {
    return await run();
  } catch (err) {
    return failedResult(base, err, started);
  }
}
