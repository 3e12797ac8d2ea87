import type { Job } from "@prisma/client";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { cloneSteps, findLiveJob } from "./registry";
import { parseSteps } from "./steps";
import {
  isFinishedStatus,
  JOB_STATUSES,
  LOG_LEVELS,
  type JobLogEntry,
  type JobStatus,
  type JobSummary,
  type JobView,
  type LogLevel,
} from "./types";

const MAX_LOG_PAGE = 5_000;

/** A job with its steps and result parsed; a job running in this process shows its live progress. */
export async function getJob(id: string): Promise<JobView> {
  const row = await db.job.findUnique({ where: { id } });
  if (!row) throw new AppError("NOT_FOUND", "Job not found. It may have been deleted; check the jobs list.");
  const view: JobView = { ...toSummary(row), steps: parseSteps(row.steps), result: parseResult(row.result) };
  const live = findLiveJob(id);
  // The row's progress is throttled; the runner's memory is exact while the job runs here.
  if (live && !isFinishedStatus(view.status)) {
    return { ...view, status: live.status, progress: live.progress, steps: cloneSteps(live.steps), cancelRequested: live.cancelRequested };
  }
  return view;
}

/**
 * Resolves with the job once it has ended (for the CLI and tests; the browser follows the event stream).
 * A job running elsewhere is polled.
 */
export async function waitForJob(id: string, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<JobView> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60 * 60_000);
  for (;;) {
    await findLiveJob(id)?.done;
    const job = await getJob(id);
    if (isFinishedStatus(job.status)) return job;
    if (Date.now() >= deadline) throw new AppError("HOST_TIMEOUT", `Job ${id} did not end in time; it is still ${job.status}.`);
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 500));
  }
}

/** Newest first, optionally for one stack. */
export async function listJobs(input: { stackId?: string; limit?: number } = {}): Promise<JobSummary[]> {
  const rows = await db.job.findMany({
    where: input.stackId ? { stackId: input.stackId } : undefined,
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(input.limit ?? 50, 1), 500),
    omit: { steps: true, result: true },
  });
  return rows.map(toSummary);
}

/** Log lines with seq > afterSeq, oldest first; at most `limit` (capped at 5000) per call. */
export async function readJobLog(jobId: string, afterSeq = 0, limit = 1_000): Promise<JobLogEntry[]> {
  const rows = await db.jobLogLine.findMany({
    where: { jobId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: Math.min(Math.max(limit, 1), MAX_LOG_PAGE),
    select: { seq: true, at: true, level: true, text: true },
  });
  return rows.map((r) => ({ seq: r.seq, at: r.at.toISOString(), level: toLevel(r.level), text: r.text }));
}

/** Every stored line after `afterSeq`, page by page, so a long log is never held in memory whole. */
export async function* iterateJobLog(jobId: string, afterSeq = 0, pageSize = 1_000): AsyncGenerator<JobLogEntry[]> {
  let cursor = afterSeq;
  for (;;) {
    const page = await readJobLog(jobId, cursor, pageSize);
    if (page.length === 0) return;
    yield page;
    cursor = page[page.length - 1]!.seq;
    if (page.length < pageSize) return;
  }
}

/** The highest stored seq of a job's log (0 when empty). */
export async function getLastLogSeq(jobId: string): Promise<number> {
  const last = await db.jobLogLine.findFirst({ where: { jobId }, orderBy: { seq: "desc" }, select: { seq: true } });
  return last?.seq ?? 0;
}

function toSummary(row: Omit<Job, "steps" | "result">): JobSummary {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    status: toStatus(row.status),
    stackId: row.stackId,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    progress: row.progress,
    error: row.error,
    cancelRequested: row.cancelRequested,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    durationMs: row.startedAt && row.endedAt ? row.endedAt.getTime() - row.startedAt.getTime() : null,
  };
}

function parseResult(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return {};
  }
}

function toStatus(value: string): JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(value) ? (value as JobStatus) : "failed";
}

function toLevel(value: string): LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value) ? (value as LogLevel) : "info";
}
