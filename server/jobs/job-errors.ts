import { AppError, isAppError } from "@/server/errors";

/** Shown for any failure that is not an AppError; the detail goes to the server log only. */
export const INTERNAL_JOB_ERROR = "Internal error: see the panel's log";

/** The reason a cancelled job's signal carries; `throwIfCancelled` throws it. */
export class JobCancelledError extends AppError {
  constructor(readonly byLabel: string | null) {
    super("CONFLICT", byLabel ? `Cancelled by ${byLabel}` : "Cancelled");
    this.name = "JobCancelledError";
  }
}

/**
 * The message stored on a failed job. Security: only AppError messages (written for the operator,
 * redacted by `redactText`) are shown; anything else is logged server-side with the job id.
 */
export function describeJobError(jobId: string, err: unknown, redactText: (text: string) => string): string {
  if (isAppError(err)) return redactText(err.message);
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  // Security: the server log is read by more people than the job's secrets are meant for.
  console.error(`[jobs] job ${jobId} failed with an unexpected error: ${redactText(detail)}`);
  return INTERNAL_JOB_ERROR;
}
