import type { Prisma } from "@prisma/client";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import type { Actor } from "@/server/services/auth/actor";
import { describeJobError } from "./job-errors";
import { JobRuntime } from "./job-runtime";
import { cloneSteps, findLiveJob, publishJobEvent, registerLiveJob, unregisterLiveJob } from "./registry";
import { closeRunningSteps, createSteps } from "./steps";
import { isFinishedStatus, type JobContext, type JobStatus, type StartJobInput } from "./types";

/** A job's body: its resolved value is stored as the job's result (JSON). */
export type JobRun = (ctx: JobContext) => Promise<unknown>;

type Db = Prisma.TransactionClient | typeof db;

interface Outcome {
  status: Extract<JobStatus, "succeeded" | "failed" | "cancelled">;
  error: string | null;
  result: unknown;
}

/**
 * Starts a job: stores it, then runs `run` in the background (the caller does not wait for it).
 * The job ends succeeded with `run`'s value, failed with its error, or cancelled after `cancelJob`.
 */
export async function startJob(input: StartJobInput, run: JobRun): Promise<{ jobId: string }> {
  const jobId = await createJobRecord(db, input);
  launchJob(jobId, input, run);
  return { jobId };
}

/** Inserts the queued Job row; exported for `startLockedJob`, which does it inside a transaction. */
export async function createJobRecord(client: Db, input: StartJobInput): Promise<string> {
  const row = await client.job.create({
    data: {
      kind: input.kind,
      title: input.title,
      stackId: input.stackId ?? null,
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      steps: JSON.stringify(createSteps(input.steps)),
    },
    select: { id: true },
  });
  return row.id;
}

/** Runs a stored, queued job in this process. Never throws: every outcome is recorded on the job. */
export function launchJob(jobId: string, input: StartJobInput, run: JobRun): void {
  const runtime = new JobRuntime(jobId, createSteps(input.steps), input.stackId ?? null);
  registerLiveJob(runtime);
  void executeJob(runtime, run);
}

async function executeJob(runtime: JobRuntime, run: JobRun): Promise<void> {
  try {
    await runtime.logs.prepare();
    await markJobRunning(runtime);
    const outcome = await runToOutcome(runtime, run);
    await finishJob(runtime, outcome);
  } catch (err) {
    console.error(`[jobs] job ${runtime.jobId} could not be recorded:`, err);
    await recordLastResort(runtime);
  } finally {
    unregisterLiveJob(runtime.jobId);
    runtime.markDone();
  }
}

async function markJobRunning(runtime: JobRuntime): Promise<void> {
  await db.job.update({ where: { id: runtime.jobId }, data: { status: "running", startedAt: new Date() } });
  runtime.status = "running";
  publishJobEvent(runtime.jobId, { type: "status", status: "running", progress: runtime.progress });
}

async function runToOutcome(runtime: JobRuntime, run: JobRun): Promise<Outcome> {
  try {
    const result = await run(runtime.createContext());
    if (runtime.signal.aborted) return cancelledOutcome(runtime);
    return { status: "succeeded", error: null, result };
  } catch (err) {
    if (runtime.signal.aborted) return cancelledOutcome(runtime);
    return { status: "failed", error: describeJobError(runtime.jobId, err, (t) => runtime.logs.redact(t)), result: undefined };
  }
}

function cancelledOutcome(runtime: JobRuntime): Outcome {
  return { status: "cancelled", error: runtime.cancelledBy ? `Cancelled by ${runtime.cancelledBy}` : "Cancelled", result: undefined };
}

/**
 * Stores the final state. The job's stack locks are released in the same transaction, so a lock never
 * outlives its job; a deployment the job left "running" takes the job's failed/cancelled status.
 */
async function finishJob(runtime: JobRuntime, outcome: Outcome): Promise<void> {
  const now = new Date();
  closeRunningSteps(runtime.steps, outcome.status === "succeeded" ? "succeeded" : outcome.status, now);
  if (outcome.status === "succeeded") runtime.progress = 1;
  // A failure's message is redacted already (describeJobError); a cancel names only the actor.
  if (outcome.error) runtime.logs.write(outcome.error, outcome.status === "failed" ? "error" : "warn", true);
  await runtime.settleWrites();
  const job = await db.job.findUniqueOrThrow({ where: { id: runtime.jobId }, select: { startedAt: true } });
  const ops: Prisma.PrismaPromise<unknown>[] = [
    db.job.update({
      where: { id: runtime.jobId },
      data: {
        status: outcome.status,
        error: outcome.error,
        endedAt: now,
        progress: runtime.progress,
        steps: JSON.stringify(runtime.steps),
        result: toResultJson(runtime.jobId, outcome.result),
      },
    }),
    db.stackLock.deleteMany({ where: { jobId: runtime.jobId } }),
  ];
  // A deployment is only marked succeeded by the deploy service, with its health evidence.
  if (outcome.status !== "succeeded") {
    const durationMs = job.startedAt ? now.getTime() - job.startedAt.getTime() : null;
    ops.push(
      db.deployment.updateMany({
        where: { jobId: runtime.jobId, status: "running" },
        data: { status: outcome.status, error: outcome.error, endedAt: now, durationMs },
      }),
    );
  }
  await db.$transaction(ops);
  runtime.status = outcome.status;
  publishJobEvent(runtime.jobId, { type: "step", steps: cloneSteps(runtime.steps), progress: runtime.progress });
  publishJobEvent(runtime.jobId, {
    type: "status",
    status: outcome.status,
    progress: runtime.progress,
    error: outcome.error,
    endedAt: now.toISOString(),
  });
  publishJobEvent(runtime.jobId, { type: "end" });
}

function toResultJson(jobId: string, value: unknown): string {
  try {
    return JSON.stringify(value ?? {});
  } catch (err) {
    console.error(`[jobs] the result of job ${jobId} is not JSON:`, err);
    return "{}";
  }
}

/** When storing the outcome failed: still end the job and free its locks, so nothing stays stuck. */
async function recordLastResort(runtime: JobRuntime): Promise<void> {
  const error = "The panel could not record how this job ended: see the panel's log";
  try {
    await db.$transaction([
      db.job.updateMany({
        where: { id: runtime.jobId, status: { in: ["queued", "running"] } },
        data: { status: "failed", error, endedAt: new Date() },
      }),
      db.stackLock.deleteMany({ where: { jobId: runtime.jobId } }),
    ]);
  } catch (err) {
    console.error(`[jobs] job ${runtime.jobId}: the last-resort update failed too:`, err);
  }
  runtime.status = "failed";
  publishJobEvent(runtime.jobId, { type: "status", status: "failed", progress: runtime.progress, error });
  publishJobEvent(runtime.jobId, { type: "end" });
}

/**
 * Requests cancellation: aborts the job's signal and runs its cancel hooks when it runs in this process.
 * The job turns `cancelled` once its `run` returns or throws. Audited.
 */
export async function cancelJob(jobId: string, actor: Actor): Promise<{ jobId: string; cancelRequested: true }> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { status: true, kind: true, title: true, stackId: true } });
  if (!job) throw new AppError("NOT_FOUND", "Job not found. It may have been deleted; check the jobs list.");
  if (isFinishedStatus(job.status)) {
    throw new AppError("CONFLICT", `This job already ended (${job.status}); there is nothing to cancel.`);
  }
  await db.job.update({ where: { id: jobId }, data: { cancelRequested: true } });
  const live = findLiveJob(jobId);
  await live?.cancel(actor.label);
  await recordAuditEvent(actor, {
    action: "job.cancel",
    target: `job:${jobId}`,
    details: { kind: job.kind, title: job.title, stackId: job.stackId, runningHere: Boolean(live) },
  });
  return { jobId, cancelRequested: true };
}
