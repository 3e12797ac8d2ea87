import { getJob, getLastLogSeq, iterateJobLog } from "@/server/jobs/queries";
import { subscribeToJob } from "@/server/jobs/registry";
import { isFinishedStatus, type JobEvent, type JobLogEntry } from "@/server/jobs/types";
import { compileFilter, selectMatching } from "./filter";
import { encodeControl, encodeLines, HEARTBEAT_MS } from "./ndjson";
import type { TJobLogStreamQuery } from "./query";
import type { FILTER_BUDGET, LogLine } from "./types";

/** The job store and event bus, as the job-log source uses them (fakes in tests). */
export interface JobLogStore {
  getJob(jobId: string): Promise<{ status: string }>;
  getLastLogSeq(jobId: string): Promise<number>;
  iterateJobLog(jobId: string, afterSeq: number): AsyncIterable<JobLogEntry[]>;
  subscribeToJob(jobId: string, listener: (event: JobEvent) => void): () => void;
}

const jobStore: JobLogStore = { getJob, getLastLogSeq, iterateJobLog, subscribeToJob };

const ERROR_LEVELS = new Set(["warn", "error", "stderr"]);

/** How a job log stream is written out: the viewer's NDJSON, or plain text for `curl` and CI logs. */
export interface JobLogFormat {
  /** Entries already chosen (stdout/stderr toggles, filter) as bytes. */
  lines(entries: JobLogEntry[], query: TJobLogStreamQuery): Uint8Array;
  control(control: { event: "end" | "heartbeat" } | { event: "error"; message: string; code?: typeof FILTER_BUDGET }): Uint8Array;
  heartbeat: boolean;
}

export const ndjsonFormat: JobLogFormat = {
  lines: (entries, query) => encodeLines(entries.map((e) => toLogLine(e, query.timestamps))),
  control: encodeControl,
  heartbeat: true,
};

const encoder = new TextEncoder();
const EMPTY = new Uint8Array();

/** `2026-11-28T08:12:32.266Z info   text` per line; the stream simply ends with the job. */
export const textFormat: JobLogFormat = {
  lines: (entries) => encoder.encode(entries.map((e) => `${new Date(e.at).toISOString()} ${e.level.padEnd(6)} ${e.text}\n`).join("")),
  control: (c) => (c.event === "error" ? encoder.encode(`error: ${c.message}\n`) : EMPTY),
  heartbeat: false,
};

/** A job log entry in the viewer's line shape: info/stdout count as stdout, warn/error/stderr as stderr. */
export function toLogLine(entry: JobLogEntry, hasTimestamps: boolean): LogLine {
  const line: LogLine = { seq: entry.seq, stream: ERROR_LEVELS.has(entry.level) ? "stderr" : "stdout", text: entry.text };
  if (hasTimestamps) line.ts = entry.at;
  return line;
}

/**
 * A job's log as the viewer's NDJSON stream: the stored lines (the last `tail`, or all), then, with
 * `follow`, live lines until the job ends, then `{ event: "end" }`. Subscribes before replaying so no
 * line falls between the two; duplicates are dropped by seq. Throws NOT_FOUND before any byte.
 */
export async function openJobLogStream(
  query: TJobLogStreamQuery,
  signal?: AbortSignal,
  store: JobLogStore = jobStore,
  heartbeatMs = HEARTBEAT_MS,
  format: JobLogFormat = ndjsonFormat,
): Promise<ReadableStream<Uint8Array>> {
  const filter = query.q ? compileFilter(query.q, query.regex) : undefined;
  await store.getJob(query.job);
  const startSeq = query.tail === "all" ? 0 : Math.max(0, (await store.getLastLogSeq(query.job)) - query.tail);
  let unsubscribe = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let lastSeq = startSeq;
      let isClosed = false;
      let isReplaying = true;
      let lastSentAt = Date.now();
      const buffered: JobEvent[] = [];
      const finish = (last: Uint8Array) => {
        if (isClosed) return;
        isClosed = true;
        unsubscribe();
        clearInterval(heartbeat);
        try {
          if (last.length) controller.enqueue(last);
          controller.close();
        } catch {
          // The viewer went away at the same moment.
        }
      };
      const emit = (entries: JobLogEntry[]) => {
        const fresh = entries.filter((e) => e.seq > lastSeq);
        if (!fresh.length || isClosed) return;
        lastSeq = fresh[fresh.length - 1]!.seq;
        const shown = fresh.filter((e) => (ERROR_LEVELS.has(e.level) ? query.stderr : query.stdout));
        const { kept, stopped } = filter ? selectMatching(filter, shown, (e) => e.text) : { kept: shown };
        if (kept.length) {
          controller.enqueue(format.lines(kept, query));
          lastSentAt = Date.now();
        }
        // The lines matched before the stop are sent, then the end says the results are incomplete.
        if (stopped) finish(format.control({ event: "error", code: stopped.code, message: stopped.message }));
      };
      const handle = (ev: JobEvent) => {
        try {
          if (ev.type === "log") emit([ev]);
          else if (ev.type === "end") finish(format.control({ event: "end" }));
        } catch (err) {
          finish(format.control({ event: "error", message: (err as Error).message }));
        }
      };
      const replay = async () => {
        for await (const page of store.iterateJobLog(query.job, lastSeq)) {
          if (isClosed) return;
          emit(page);
        }
      };
      signal?.addEventListener("abort", () => finish(EMPTY), { once: true });
      if (query.follow) {
        unsubscribe = store.subscribeToJob(query.job, (ev) => (isReplaying ? buffered.push(ev) : handle(ev)));
      }
      if (query.follow && format.heartbeat) {
        // A long step can be silent for minutes: a heartbeat keeps idle proxies from cutting the stream.
        const beat = format.control({ event: "heartbeat" });
        heartbeat = setInterval(
          () => {
            if (isClosed || Date.now() - lastSentAt < heartbeatMs) return;
            lastSentAt = Date.now();
            controller.enqueue(beat);
          },
          Math.max(10, Math.floor(heartbeatMs / 2)),
        );
        heartbeat.unref?.();
      }
      try {
        await replay();
        isReplaying = false;
        for (const ev of buffered.splice(0)) handle(ev);
        if (!query.follow || isFinishedStatus((await store.getJob(query.job)).status)) {
          await replay(); // lines stored while we looked
          finish(format.control({ event: "end" }));
        }
      } catch (err) {
        finish(format.control({ event: "error", message: (err as Error).message }));
      }
    },
    cancel() {
      unsubscribe();
      clearInterval(heartbeat);
    },
  });
}
