import { EventEmitter } from "node:events";
import type { JobEvent, JobLogEntry, JobStatus, JobStep } from "./types";

/** What the runner knows about a job it is executing right now (fresher than the DB row). */
export interface LiveJob {
  readonly jobId: string;
  status: JobStatus;
  progress: number;
  steps: JobStep[];
  cancelRequested: boolean;
  /** Requests cancellation; resolves once cancel hooks were called. */
  cancel(byLabel: string): Promise<void>;
  /** Log lines emitted but not yet committed to the DB, oldest first. */
  pendingLogLines(): JobLogEntry[];
  /** Resolves when the job has ended and its final state is stored. */
  readonly done: Promise<void>;
}

interface RunnerState {
  emitter: EventEmitter;
  live: Map<string, LiveJob>;
}

// One runner per server process: kept on globalThis so a Next dev reload does not start a second one.
const globalForJobs = globalThis as unknown as { pxfJobRunner?: RunnerState };

function getState(): RunnerState {
  if (!globalForJobs.pxfJobRunner) {
    const emitter = new EventEmitter();
    // One listener per open job page; there is no leak to warn about.
    emitter.setMaxListeners(0);
    globalForJobs.pxfJobRunner = { emitter, live: new Map() };
  }
  return globalForJobs.pxfJobRunner;
}

const channel = (jobId: string) => `job:${jobId}`;

/** Sends an event to every subscriber of the job in this process. */
export function publishJobEvent(jobId: string, event: JobEvent): void {
  getState().emitter.emit(channel(jobId), event);
}

/** Listens to a job's events; returns the unsubscribe function. */
export function subscribeToJob(jobId: string, listener: (event: JobEvent) => void): () => void {
  const { emitter } = getState();
  emitter.on(channel(jobId), listener);
  return () => emitter.off(channel(jobId), listener);
}

export function registerLiveJob(job: LiveJob): void {
  getState().live.set(job.jobId, job);
}

export function unregisterLiveJob(jobId: string): void {
  getState().live.delete(jobId);
}

/** The in-process state of a running job, or undefined when it does not run here. */
export function findLiveJob(jobId: string): LiveJob | undefined {
  return getState().live.get(jobId);
}

export function listLiveJobIds(): string[] {
  return [...getState().live.keys()];
}

/** Copies steps so a snapshot handed out is not mutated by later updates. */
export function cloneSteps(steps: JobStep[]): JobStep[] {
  return steps.map((s) => ({ ...s }));
}
