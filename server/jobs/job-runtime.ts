import { db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { INTERNAL_JOB_ERROR, JobCancelledError } from "./job-errors";
import { JobLogWriter } from "./log-writer";
import { cloneSteps, publishJobEvent, type LiveJob } from "./registry";
import { clampFraction, computeProgress, findOrAddStep, markStepEnded, markStepRunning } from "./steps";
import { isFinishedStatus, type JobContext, type JobLogEntry, type JobStatus, type JobStep, type StepOptions } from "./types";

/** Progress-only updates reach the DB at most this often; viewers get every one at once. */
const SAVE_INTERVAL_MS = 250;

/**
 * The in-memory state of one executing job: its steps, progress, log writer and cancellation.
 * Viewers are told of every change at once; the DB row follows, throttled for progress updates.
 */
export class JobRuntime implements LiveJob {
  status: JobStatus = "queued";
  progress = 0;
  cancelRequested = false;
  cancelledBy: string | null = null;
  readonly logs: JobLogWriter;
  readonly done: Promise<void>;
  private readonly controller = new AbortController();
  private readonly cancelHooks = new Set<() => void | Promise<void>>();
  private hasManualProgress = false;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private lastSaveAt = 0;
  private saveChain: Promise<void> = Promise.resolve();
  private resolveDone!: () => void;

  constructor(
    readonly jobId: string,
    public steps: JobStep[],
    stackId: string | null = null,
  ) {
    this.logs = new JobLogWriter(jobId, (entry) => publishJobEvent(jobId, { type: "log", ...entry }), 0, stackId);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  pendingLogLines(): JobLogEntry[] {
    return this.logs.pending();
  }

  /** Aborts the signal and runs the cancel hooks; the job ends as cancelled once `run` settles. */
  async cancel(byLabel: string): Promise<void> {
    if (this.cancelRequested || isFinishedStatus(this.status)) return;
    this.cancelRequested = true;
    this.cancelledBy = byLabel;
    this.logs.write(`Cancel requested by ${byLabel}`, "warn", true);
    publishJobEvent(this.jobId, { type: "status", status: this.status, progress: this.progress, cancelRequested: true });
    this.controller.abort(new JobCancelledError(byLabel));
    await Promise.all([...this.cancelHooks].map((hook) => this.runCancelHook(hook)));
  }

  private async runCancelHook(hook: () => void | Promise<void>): Promise<void> {
    try {
      await hook();
    } catch (err) {
      this.logs.write(`A cleanup step after cancel failed: ${err instanceof Error ? err.message : String(err)}`, "warn");
    }
  }

  /** The API handed to the job's `run` function. */
  createContext(): JobContext {
    return {
      jobId: this.jobId,
      signal: this.signal,
      log: (text, level) => void this.logs.write(text, level),
      step: (key, fn, opts) => this.runStep(key, fn, opts),
      skipStep: (key, reason) => this.skipStep(key, reason),
      setStepProgress: (key, fraction, detail) => this.setStepProgress(key, fraction, detail),
      setProgress: (fraction) => this.setProgress(fraction),
      throwIfCancelled: () => {
        if (this.signal.aborted) throw this.signal.reason instanceof Error ? this.signal.reason : new JobCancelledError(null);
      },
      onCancel: (fn) => this.addCancelHook(fn),
      addSecret: (secret) => this.logs.addSecret(secret),
    };
  }

  private addCancelHook(fn: () => void | Promise<void>): () => void {
    // Registered after the cancel already happened: clean up at once, the remote work must stop.
    if (this.signal.aborted) void this.runCancelHook(fn);
    else this.cancelHooks.add(fn);
    return () => void this.cancelHooks.delete(fn);
  }

  private async runStep<T>(key: string, fn: () => Promise<T> | T, opts?: StepOptions): Promise<T> {
    const step = findOrAddStep(this.steps, key);
    if (opts?.weight !== undefined) step.weight = opts.weight;
    markStepRunning(step);
    this.changeSteps(true);
    try {
      const value = await fn();
      markStepEnded(step, "succeeded");
      this.changeSteps(true);
      return value;
    } catch (err) {
      const status = this.signal.aborted ? "cancelled" : "failed";
      markStepEnded(step, status, status === "failed" ? this.logs.redact(describeStepError(err)) : step.detail);
      this.changeSteps(true);
      throw err;
    }
  }

  private skipStep(key: string, reason?: string): void {
    const step = findOrAddStep(this.steps, key);
    markStepEnded(step, "skipped", reason ? this.logs.redact(reason) : null);
    this.changeSteps(true);
  }

  private setStepProgress(key: string, fraction: number, detail?: string): void {
    const step = findOrAddStep(this.steps, key);
    step.progress = clampFraction(fraction);
    if (detail !== undefined) step.detail = this.logs.redact(detail);
    this.changeSteps(false);
  }

  private setProgress(fraction: number): void {
    this.hasManualProgress = true;
    this.progress = clampFraction(fraction);
    publishJobEvent(this.jobId, { type: "status", status: this.status, progress: this.progress, cancelRequested: this.cancelRequested });
    this.scheduleSave(false);
  }

  /** Recomputes progress, tells viewers, and stores the steps (at once for transitions). */
  changeSteps(isTransition: boolean): void {
    if (!this.hasManualProgress) this.progress = computeProgress(this.steps);
    publishJobEvent(this.jobId, { type: "step", steps: cloneSteps(this.steps), progress: this.progress });
    this.scheduleSave(isTransition);
  }

  private scheduleSave(isNow: boolean): void {
    if (this.status !== "running") return;
    const wait = isNow ? 0 : Math.max(0, this.lastSaveAt + SAVE_INTERVAL_MS - Date.now());
    if (this.saveTimer) {
      if (!isNow) return;
      clearTimeout(this.saveTimer);
    }
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.lastSaveAt = Date.now();
      this.saveChain = this.saveChain.then(() => this.saveProgress());
    }, wait);
  }

  private async saveProgress(): Promise<void> {
    if (this.status !== "running") return;
    try {
      await db.job.update({ where: { id: this.jobId }, data: { steps: JSON.stringify(this.steps), progress: this.progress } });
    } catch (err) {
      console.error(`[jobs] could not store the progress of job ${this.jobId}:`, err);
    }
  }

  /** Stops progress writes and waits for the ones under way, before the final state is stored. */
  async settleWrites(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    await this.saveChain;
    await this.logs.flush();
  }

  markDone(): void {
    this.resolveDone();
  }
}

function describeStepError(err: unknown): string {
  return isAppError(err) ? err.message : INTERNAL_JOB_ERROR;
}
