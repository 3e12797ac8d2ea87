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
  const encoder = new TextEncoder();
  const maxQueued = input.maxQueued ?? MAX_QUEUED_EVENTS;
  const live: JobEvent[] = [];
  let wake: (() => void) | null = null;
  let isClosed = false;
  let lastSeq = input.afterSeq;
  let stage: "snapshot" | "replay" | "pending" | "live" = "snapshot";
  let pendingLines: JobLogEntry[] = [];
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let unsubscribe: () => void = () => {};

  const notify = () => {
    const fn = wake;
    wake = null;
    fn?.();
  };
  const cleanup = () => {
    if (isClosed) return;
    isClosed = true;
    unsubscribe();
    if (heartbeat) clearInterval(heartbeat);
    input.signal?.removeEventListener("abort", onAbort);
    notify();
  };
  const closeStream = () => {
    cleanup();
    try {
      controllerRef?.close();
    } catch {
      // Already closed or errored by the consumer.
    }
  };
  const onAbort = () => closeStream();

  // Subscribe before reading anything, so no event falls between the snapshot/replay and live.
  const liveJob = findLiveJob(input.job.id);
  const snapshot = liveJob && !isFinishedStatus(input.job.status)
    ? { ...input.job, status: liveJob.status, progress: liveJob.progress, steps: cloneSteps(liveJob.steps), cancelRequested: liveJob.cancelRequested }
    : input.job;
  const isOver = isFinishedStatus(snapshot.status);
  if (!isOver) {
    unsubscribe = subscribeToJob(input.job.id, (event) => {
      live.push(event);
      if (live.length > maxQueued) closeStream();
      else notify();
    });
    pendingLines = liveJob?.pendingLogLines() ?? [];
  }

  const enqueue = (text: string) => controllerRef?.enqueue(encoder.encode(text));
  const sendLines = (lines: JobLogEntry[]) => {
    const fresh = lines.filter((l) => l.seq > lastSeq);
    if (fresh.length === 0) return false;
    enqueue(fresh.map((l) => formatSseEvent({ type: "log", ...l })).join(""));
    lastSeq = fresh[fresh.length - 1]!.seq;
    return true;
  };

  /** Sends queued live events; returns true when the job ended. */
  const drainLive = (): boolean => {
    let out = "";
    let hasEnded = false;
    for (const event of live.splice(0)) {
      if (event.type === "log") {
        if (event.seq <= lastSeq) continue;
        lastSeq = event.seq;
      }
      out += formatSseEvent(event);
      if (event.type === "end") {
        hasEnded = true;
        break;
      }
    }
    if (out) enqueue(out);
    return hasEnded;
  };

  async function pull(): Promise<void> {
    if (isClosed) return;
    if (stage === "snapshot") {
      enqueue(formatSseEvent({ type: "snapshot", job: snapshot }));
      stage = "replay";
      return;
    }
    if (stage === "replay") {
      const page = await readJobLog(input.job.id, lastSeq, REPLAY_PAGE);
      if (isClosed) return;
      if (sendLines(page) && page.length === REPLAY_PAGE) return;
      stage = "pending";
    }
    if (stage === "pending") {
      sendLines(pendingLines);
      pendingLines = [];
      stage = "live";
      if (isOver) {
        enqueue(formatSseEvent({ type: "end" }));
        return closeStream();
      }
      return;
    }
    if (live.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    if (isClosed) return;
    if (drainLive()) closeStream();
  }

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controllerRef = controller;
        if (input.signal?.aborted) return closeStream();
        input.signal?.addEventListener("abort", onAbort, { once: true });
        heartbeat = setInterval(() => {
          // A comment line keeps proxies from closing an idle stream; it needs no queue slot.
          if (!isClosed && (controllerRef?.desiredSize ?? 0) > 0) enqueue(": ping\n\n");
        }, input.heartbeatMs ?? HEARTBEAT_MS);
      },
      pull,
      cancel() {
        cleanup();
      },
    },
    // Small buffer: the DB replay and the live queue advance only as fast as the client reads.
    { highWaterMark: 4 },
  );
}
