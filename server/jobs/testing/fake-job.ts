/** A JobContext that records what a job did, for unit tests of job bodies. Not used by production code. */
import { AppError } from "@/server/errors";
import type { JobContext, LogLevel } from "../types";

export interface FakeJob extends JobContext {
  logs: { level: LogLevel; text: string }[];
  /** Step keys in the order they ended, with their outcome. */
  steps: { key: string; status: "succeeded" | "failed" | "skipped"; detail?: string }[];
  /** Aborts the signal and runs the cancel handlers, as a cancel from the UI would. */
  cancel(): Promise<void>;
}

export function createFakeJob(events?: string[]): FakeJob {
  const controller = new AbortController();
  const cancelHandlers = new Set<() => void | Promise<void>>();
  const secrets = new Set<string>();
  /** What setStepProgress said last, kept on the step when it ends (as the real runtime does). */
  const details = new Map<string, string>();
  const job: FakeJob = {
    jobId: "job-test",
    signal: controller.signal,
    logs: [],
    steps: [],
    log(text, level = "info") {
      let t = text;
      for (const s of secrets) t = t.split(s).join("[REDACTED]");
      job.logs.push({ level, text: t });
    },
    async step(key, fn) {
      events?.push(`step ${key}`);
      try {
        const value = await fn();
        const detail = details.get(key);
        job.steps.push({ key, status: "succeeded", ...(detail === undefined ? {} : { detail }) });
        return value;
      } catch (err) {
        job.steps.push({ key, status: "failed", detail: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    },
    skipStep(key, reason) {
      job.steps.push({ key, status: "skipped", detail: reason });
    },
    setStepProgress(key, _fraction, detail) {
      if (detail !== undefined) details.set(key, detail);
    },
    setProgress() {},
    throwIfCancelled() {
      if (controller.signal.aborted) throw new AppError("CONFLICT", "Cancelled");
    },
    onCancel(fn) {
      cancelHandlers.add(fn);
      return () => cancelHandlers.delete(fn);
    },
    addSecret(secret) {
      if (secret) secrets.add(secret);
    },
    async cancel() {
      controller.abort();
      for (const fn of cancelHandlers) await fn();
    },
  };
  return job;
}
