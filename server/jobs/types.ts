import type { Actor } from "@/server/services/auth/actor";

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled", "interrupted"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A job in one of these states will never change again. */
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = ["succeeded", "failed", "cancelled", "interrupted"];

/** True for succeeded, failed, cancelled and interrupted. */
export function isFinishedStatus(status: string): boolean {
  return (FINISHED_JOB_STATUSES as readonly string[]).includes(status);
}

export const LOG_LEVELS = ["info", "warn", "error", "stdout", "stderr"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type StepStatus = "pending" | "running" | "succeeded" | "failed" | "skipped" | "cancelled" | "interrupted";

/** One step of a job as stored in Job.steps (JSON) and sent to the browser. */
export interface JobStep {
  key: string;
  label: string;
  status: StepStatus;
  /** ISO times: the steps travel as JSON through the DB and the event stream. */
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  /** 0..1 while running, when the step reports it (image pull, probes). */
  progress: number | null;
  /** A short line shown under the step: pull progress, skip reason, failure message. */
  detail: string | null;
  /** Share of the job's overall progress (default 1). */
  weight: number;
}

export interface JobLogEntry {
  seq: number;
  at: string;
  level: LogLevel;
  text: string;
}

/** What the runner fans out to every viewer of a job, in order. */
export type JobEvent =
  | ({ type: "log" } & JobLogEntry)
  | { type: "step"; steps: JobStep[]; progress: number }
  | { type: "status"; status: JobStatus; progress: number; error?: string | null; cancelRequested?: boolean; endedAt?: string }
  | { type: "end" };

export interface StartJobInput {
  /** deploy | rollback | migrate | backup | restore | audit … */
  kind: string;
  /** Shown in lists, toasts and the job page, e.g. "Deploy of v1.1.0". */
  title: string;
  stackId?: string | null;
  actor: Actor;
  steps: { key: string; label: string; weight?: number }[];
}

export interface StepOptions {
  /** Share of the job's overall progress this step accounts for (default: the declared weight, or 1). */
  weight?: number;
}

/** What a job's `run` function gets: logging, steps, progress and cancellation. */
export interface JobContext {
  readonly jobId: string;
  /** Aborted when someone cancels the job: pass it to fetch, dockerode, ssh helpers. */
  readonly signal: AbortSignal;
  /** Appends a line (several when `text` has newlines) to the job log, redacted of registered secrets. */
  log(text: string, level?: LogLevel): void;
  /** Runs `fn` as step `key`: running → succeeded | failed | cancelled, with times. Returns fn's value. */
  step<T>(key: string, fn: () => Promise<T> | T, opts?: StepOptions): Promise<T>;
  /** Marks a step skipped without running it; `reason` is shown under it. */
  skipStep(key: string, reason?: string): void;
  /** Progress of a running step (0..1) with a short detail, e.g. "12.3 MB / 40.1 MB, 3/5 layers". */
  setStepProgress(key: string, fraction: number, detail?: string): void;
  /** Overrides the overall progress (otherwise derived from the steps' weights). */
  setProgress(fraction: number): void;
  /** Throws the cancellation error when the job was cancelled. */
  throwIfCancelled(): void;
  /** Registers cleanup run on cancel (destroy a docker stream, close an SSH channel). Returns an unregister function. */
  onCancel(fn: () => void | Promise<void>): () => void;
  /** A secret that must never appear in the log (passwords, tokens): replaced by [REDACTED]. */
  addSecret(secret: string | null | undefined): void;
}

/** A job as the API returns it: steps and result parsed. */
export interface JobView {
  id: string;
  kind: string;
  title: string;
  status: JobStatus;
  stackId: string | null;
  actorId: string | null;
  actorLabel: string;
  progress: number;
  steps: JobStep[];
  error: string | null;
  result: unknown;
  cancelRequested: boolean;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
}

export type JobSummary = Omit<JobView, "steps" | "result">;
