import { Prisma, type StackLock } from "@prisma/client";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { createJobRecord, launchJob, type JobRun } from "./runner";
import type { StartJobInput } from "./types";

const POLL_INTERVAL_MS = 250;

export interface AcquireStackLockInput {
  stackId: string;
  actor: Actor;
  jobId: string;
  /** What the holder does, e.g. "deploy" or "rollback"; named in the clash message. */
  purpose: string;
}

export interface LockWaitOptions {
  /** Poll until the lock is free for up to this long before giving up with CONFLICT (default 0: fail at once). */
  waitMs?: number;
}

/**
 * Takes the stack's lock for a job. The row's primary key is the stack id, so two callers racing
 * for it cannot both win. On clash: CONFLICT naming the holder, with `data: { holder, jobId, since }`.
 */
export async function acquireStackLock(input: AcquireStackLockInput, opts: LockWaitOptions = {}): Promise<StackLock> {
  return retryWhileLocked(input.stackId, input.purpose, opts, () => insertLock(db, input));
}

/** Releases the stack's lock if `jobId` holds it; returns whether it did. */
export async function releaseStackLock(stackId: string, jobId: string): Promise<boolean> {
  const { count } = await db.stackLock.deleteMany({ where: { stackId, jobId } });
  return count > 0;
}

/** The current holder of a stack's lock, or null when the stack is free. */
export async function getStackLock(stackId: string): Promise<StackLock | null> {
  return db.stackLock.findUnique({ where: { stackId } });
}

export type StartLockedJobInput = StartJobInput & { stackId: string; purpose?: string } & LockWaitOptions;

/**
 * Starts a job that holds the stack's lock for its whole life: the Job row and the lock are inserted
 * in one transaction before anything runs (a clash leaves no job behind), and the runner releases the
 * lock in the same write that records the job's end, whatever the outcome. `waitMs` may be given in
 * `input` or `opts`.
 */
export async function startLockedJob(input: StartLockedJobInput, run: JobRun, opts: LockWaitOptions = {}): Promise<{ jobId: string }> {
  const purpose = input.purpose ?? input.kind;
  const wait = { waitMs: opts.waitMs ?? input.waitMs };
  const jobId = await retryWhileLocked(input.stackId, purpose, wait, () =>
    db.$transaction(async (tx) => {
      const id = await createJobRecord(tx, input);
      await insertLock(tx, { stackId: input.stackId, actor: input.actor, jobId: id, purpose });
      return id;
    }),
  );
  launchJob(jobId, input, run);
  return { jobId };
}

function insertLock(client: Prisma.TransactionClient | typeof db, input: AcquireStackLockInput): Promise<StackLock> {
  return client.stackLock.create({
    data: { stackId: input.stackId, holderLabel: input.actor.label, holderId: input.actor.id, jobId: input.jobId, purpose: input.purpose },
  });
}

async function retryWhileLocked<T>(stackId: string, purpose: string, opts: LockWaitOptions, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + Math.max(0, opts.waitMs ?? 0);
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const holder = await getStackLock(stackId);
    // The holder let go between our insert and this read: try again at once.
    if (!holder) continue;
    if (Date.now() >= deadline) throw lockClashError(holder, purpose);
    await sleep(Math.min(POLL_INTERVAL_MS, Math.max(1, deadline - Date.now())));
  }
}

function lockClashError(holder: StackLock, purpose: string): AppError {
  const since = holder.acquiredAt.toISOString();
  const what = holder.purpose || purpose;
  return new AppError(
    "CONFLICT",
    `A ${what} of this stack is already running: started by ${holder.holderLabel} at ${formatTime(holder.acquiredAt)} (job ${holder.jobId}). Wait for it or cancel it.`,
    { data: { holder: holder.holderLabel, jobId: holder.jobId, since } },
  );
}

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
