import { readJobLog } from "./queries";
import { cloneSteps, findLiveJob, subscribeToJob } from "./registry";
import { isFinishedStatus, type JobEvent, type JobLogEntry, type JobView } from "./types";

const REPLAY_PAGE = 500;
/** A viewer this far behind is cut off; its EventSource reconnects and resumes from its last seq. */
export const MAX_QUEUED_EVENTS = 5_000;
export const HEARTBEAT_MS = 15_000;

export interface JobEventStreamInput {
  /** The job as stored; a job running in this process is overlaid with its live state. */
  job: JobView;
  /** Replay stored lines with seq > afterSeq. */
  afterSeq: number;
  /** Closing the request ends the stream and unsubscribes. */
  signal?: AbortSignal;
  heartbeatMs?: number;
  maxQueued?: number;
}

/** One SSE frame. Log events carry `id: seq` so EventSource resumes with Last-Event-ID. */
export function formatSseEvent(event: JobEvent | { type: "snapshot"; job: unknown }): string {
  const id = event.type === "log" ? `id: ${event.seq}\n` : "";
  const { type, ...data } = event;
  return `${id}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The SSE body for one viewer of a job: snapshot, then stored log lines after `afterSeq` (paged from
 * the DB as the client reads), then live events, then `end` when the job is over. Live events are
 * queued per viewer while it catches up; nothing is dropped, but a viewer that falls more than
 * `maxQueued` events behind is closed so it can resume from its last seq instead.
 */
export function createJobEventStream(input: JobEventStreamInput): ReadableStream<Uint8Array> {
  const session = new JobEventSession(input);
  return new ReadableStream<Uint8Array>(
    {
      start: (controller) => session.start(controller),
      pull: () => session.pull(),
      cancel: () => session.cleanup(),
    },
    // Small buffer: the DB replay and the live queue advance only as fast as the client reads.
    { highWaterMark: 4 },
  );
}

type Stage = "snapshot" | "replay" | "pending" | "live";

class JobEventSession {
  private readonly encoder = new TextEncoder();
  private readonly live: JobEvent[] = [];
  private readonly snapshot: JobView;
  private readonly isOver: boolean;
  private pendingLines: JobLogEntry[] = [];
  private stage: Stage = "snapshot";
  private lastSeq: number;
  private isClosed = false;
  private wake: (() => void) | null = null;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private unsubscribe: () => void = () => {};
  private readonly onAbort = () => this.close();

  constructor(private readonly input: JobEventStreamInput) {
    this.lastSeq = input.afterSeq;
    // Snapshot, subscription and unsaved lines are taken in one tick, so no event falls between
    // what the DB replay covers and what arrives live (duplicates are skipped by seq).
    const liveJob = findLiveJob(input.job.id);
    this.snapshot =
      liveJob && !isFinishedStatus(input.job.status)
        ? {
            ...input.job,
            status: liveJob.status,
            progress: liveJob.progress,
            steps: cloneSteps(liveJob.steps),
            cancelRequested: liveJob.cancelRequested,
          }
        : input.job;
    this.isOver = isFinishedStatus(this.snapshot.status);
    if (this.isOver) return;
    this.unsubscribe = subscribeToJob(input.job.id, (event) => this.receive(event));
    this.pendingLines = liveJob?.pendingLogLines() ?? [];
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.controller = controller;
    const { signal } = this.input;
    if (signal?.aborted) return this.close();
    signal?.addEventListener("abort", this.onAbort, { once: true });
    this.heartbeat = setInterval(() => {
      // A comment line keeps proxies from closing an idle stream; skipped when the client lags.
      if (!this.isClosed && (this.controller?.desiredSize ?? 0) > 0) this.send(": ping\n\n");
    }, this.input.heartbeatMs ?? HEARTBEAT_MS);
  }

  async pull(): Promise<void> {
    if (this.isClosed) return;
    if (this.stage === "snapshot") {
      this.send(formatSseEvent({ type: "snapshot", job: this.snapshot }));
      this.stage = "replay";
      return;
    }
    if (this.stage === "replay") {
      const page = await readJobLog(this.input.job.id, this.lastSeq, REPLAY_PAGE);
      if (this.isClosed) return;
      if (this.sendLines(page) && page.length === REPLAY_PAGE) return;
      this.stage = "pending";
    }
    if (this.stage === "pending") return this.finishReplay();
    if (this.live.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.isClosed) return;
    if (this.drainLive()) this.close();
  }

  /** Unsubscribes and stops timers; the stream itself is closed by `close` or by the consumer. */
  cleanup(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.unsubscribe();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.input.signal?.removeEventListener("abort", this.onAbort);
    this.notify();
  }

  private close(): void {
    this.cleanup();
    try {
      this.controller?.close();
    } catch {
      // Already closed or errored by the consumer.
    }
  }

  private receive(event: JobEvent): void {
    this.live.push(event);
    if (this.live.length > (this.input.maxQueued ?? MAX_QUEUED_EVENTS)) this.close();
    else this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private finishReplay(): void {
    this.sendLines(this.pendingLines);
    this.pendingLines = [];
    this.stage = "live";
    if (!this.isOver) return;
    this.send(formatSseEvent({ type: "end" }));
    this.close();
  }

  private send(text: string): void {
    this.controller?.enqueue(this.encoder.encode(text));
  }

  private sendLines(lines: JobLogEntry[]): boolean {
    const fresh = lines.filter((l) => l.seq > this.lastSeq);
    if (fresh.length === 0) return false;
    this.send(fresh.map((l) => formatSseEvent({ type: "log", ...l })).join(""));
    this.lastSeq = fresh[fresh.length - 1]!.seq;
    return true;
  }

  /** Sends the queued live events in one chunk; returns true when the job ended. */
  private drainLive(): boolean {
    let out = "";
    let hasEnded = false;
    for (const event of this.live.splice(0)) {
      if (event.type === "log") {
        if (event.seq <= this.lastSeq) continue;
        this.lastSeq = event.seq;
      }
      out += formatSseEvent(event);
      if (event.type === "end") {
        hasEnded = true;
        break;
      }
    }
    if (out) this.send(out);
    return hasEnded;
  }
}
