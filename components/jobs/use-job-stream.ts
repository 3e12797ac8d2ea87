"use client";

import { useEffect, useRef, useState } from "react";
import { isFinishedStatus, type JobLogEntry, type JobStatus, type JobStep, type JobView } from "@/server/jobs/types";

/** Lines kept in the DOM; the full log stays downloadable. */
export const MAX_VISIBLE_LINES = 5_000;
const FLUSH_MS = 100;

/** A job as it arrives over the event stream (JSON: dates are ISO strings). */
export type JobSnapshot = Omit<JobView, "createdAt" | "startedAt" | "endedAt"> & {
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
};

export type StreamConnection = "connecting" | "live" | "reconnecting" | "ended" | "failed";

export interface JobStream {
  job: JobSnapshot | null;
  /** The last MAX_VISIBLE_LINES lines, oldest first. */
  lines: JobLogEntry[];
  connection: StreamConnection;
}

type StatusEvent = { status: JobStatus; progress: number; error?: string | null; cancelRequested?: boolean; endedAt?: string };

/**
 * Follows /api/jobs/{id}/events: snapshot, log, step and status events until `end`. EventSource
 * reconnects by itself and sends Last-Event-ID (the last log seq), so the server resumes after it.
 * Log lines are appended in batches (every 100 ms) so a chatty job does not re-render per line.
 * `onFinish` fires when a job that was queued/running while open reaches its end.
 */
/**
 * `startedHere`: the page itself just started the job, so its end is announced even when the job was
 * already over by the time the stream connected (a quick job finishes before the first snapshot).
 */
export function useJobStream(jobId: string, onFinish?: (job: JobSnapshot) => void, startedHere = false): JobStream {
  const [state, setState] = useState<JobStream>({ job: null, lines: [], connection: "connecting" });
  const onFinishRef = useRef(onFinish);
  useEffect(() => {
    onFinishRef.current = onFinish;
  }, [onFinish]);

  useEffect(() => {
    const source = new EventSource(`/api/jobs/${encodeURIComponent(jobId)}/events?tail=${MAX_VISIBLE_LINES}`);
    let buffer: JobLogEntry[] = [];
    let lastSeq = 0;
    let latestJob: JobSnapshot | null = null;
    let wasActive = false;
    const flush = () => {
      if (buffer.length === 0) return;
      const incoming = buffer;
      buffer = [];
      setState((s) => ({ ...s, lines: keepLast(s.lines.concat(incoming)) }));
    };
    const timer = setInterval(flush, FLUSH_MS);
    const showJob = (job: JobSnapshot) => {
      latestJob = job;
      if (!isFinishedStatus(job.status)) wasActive = true;
      setState((s) => ({ ...s, job, connection: "live" }));
    };
    const on = <T>(type: string, handle: (data: T) => void) =>
      source.addEventListener(type, (e) => handle(JSON.parse((e as MessageEvent<string>).data) as T));

    on<{ job: JobSnapshot }>("snapshot", ({ job }) => showJob(job));
    on<JobLogEntry>("log", (entry) => {
      // A reconnect without Last-Event-ID may replay lines we have: keep each seq once.
      if (entry.seq <= lastSeq) return;
      lastSeq = entry.seq;
      buffer.push(entry);
    });
    on<{ steps: JobStep[]; progress: number }>("step", ({ steps, progress }) => latestJob && showJob({ ...latestJob, steps, progress }));
    on<StatusEvent>("status", (ev) => {
      if (!latestJob) return;
      const { error = latestJob.error, cancelRequested = latestJob.cancelRequested, endedAt = latestJob.endedAt } = ev;
      showJob({ ...latestJob, status: ev.status, progress: ev.progress, error, cancelRequested, endedAt });
    });
    source.addEventListener("end", () => {
      source.close();
      flush();
      setState((s) => ({ ...s, connection: "ended" }));
      if ((wasActive || startedHere) && latestJob) onFinishRef.current?.(latestJob);
    });
    source.addEventListener("error", () => {
      // CLOSED: the server refused (signed out, job deleted); otherwise the browser retries by itself.
      const connection = source.readyState === EventSource.CLOSED ? "failed" : "reconnecting";
      setState((s) => (s.connection === "ended" ? s : { ...s, connection }));
    });
    return () => {
      clearInterval(timer);
      source.close();
    };
  }, [jobId, startedHere]);

  return state;
}

function keepLast(lines: JobLogEntry[]): JobLogEntry[] {
  return lines.length > MAX_VISIBLE_LINES ? lines.slice(lines.length - MAX_VISIBLE_LINES) : lines;
}
