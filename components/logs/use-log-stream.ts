"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { RingBuffer } from "@/server/services/logs/ring-buffer";
import { FILTER_BUDGET, type LogControl } from "@/server/services/logs/types";

/** A line held by the browser: `id` is unique within the view (keys), `isErr` marks stderr. */
export interface ViewLine {
  id: number;
  seq: number;
  isErr: boolean;
  ts?: string;
  text: string;
}

/** `cut-short`: the server stopped the filter (CPU budget), so the lines shown are only part of the matches. */
export type StreamStatus = "idle" | "connecting" | "live" | "ended" | "error" | "cut-short";

export const DEFAULT_CAPACITY = 1_000_000;

/**
 * Reads the panel's NDJSON log stream into a bounded ring buffer. Incoming lines are batched and
 * applied once per animation frame; while paused they are held (up to the capacity) and applied
 * on resume, so pausing never loses a line.
 */
export function useLogStream(url: string | null, options: { capacity: number; isPaused: boolean }) {
  const bufferRef = useRef(new RingBuffer<ViewLine>(options.capacity));
  const incomingRef = useRef<ViewLine[]>([]);
  const nextIdRef = useRef(1);
  const frameRef = useRef<number | null>(null);
  const isPausedRef = useRef(options.isPaused);
  const [version, setVersion] = useState(0);
  const [held, setHeld] = useState(0);
  const [status, setStatus] = useState<StreamStatus>("idle");
  const [error, setError] = useState<string | null>(null);
  /** What the server says about a stream that goes on (e.g. "reconnecting…"), until the next such word. */
  const [notice, setNotice] = useState<string | null>(null);

  const flush = useCallback(() => {
    frameRef.current = null;
    const incoming = incomingRef.current;
    if (isPausedRef.current) {
      setHeld(incoming.length);
      return;
    }
    if (incoming.length === 0) return;
    incomingRef.current = [];
    bufferRef.current.pushAll(incoming);
    setHeld(0);
    setVersion((v) => v + 1);
  }, []);

  const schedule = useCallback(() => {
    if (frameRef.current === null) frameRef.current = requestAnimationFrame(flush);
  }, [flush]);

  /** Adds lines as if they came from the stream (used by the stream and by the browser test hook). */
  const append = useCallback(
    (lines: Omit<ViewLine, "id">[]) => {
      const incoming = incomingRef.current;
      for (const l of lines) incoming.push({ ...l, id: nextIdRef.current++ });
      const cap = bufferRef.current.capacity;
      if (incoming.length > cap) incoming.splice(0, incoming.length - cap);
      schedule();
    },
    [schedule],
  );

  useEffect(() => {
    isPausedRef.current = options.isPaused;
    schedule();
  }, [options.isPaused, schedule]);

  useEffect(() => {
    if (bufferRef.current.capacity !== options.capacity) bufferRef.current = new RingBuffer(options.capacity);
  }, [options.capacity]);

  useEffect(() => {
    bufferRef.current.clear();
    incomingRef.current = [];
    setVersion((v) => v + 1);
    setError(null);
    if (!url) return setStatus("idle");
    const abort = new AbortController();
    setStatus("connecting");
    setNotice(null);
    readNdjson(url, abort.signal, append, (control) => {
      if (control.event === "notice") setNotice(control.message ?? null);
      const end = describeStreamEnd(control);
      if (!end) return;
      setStatus(end.status);
      setError(end.error);
    }).then(
      () => setStatus((s) => (s === "connecting" || s === "live" ? "ended" : s)),
      (err: Error) => {
        if (abort.signal.aborted) return;
        setStatus("error");
        setError(err.message);
      },
    );
    setStatus("live");
    return () => abort.abort();
  }, [url, append]);

  return { buffer: bufferRef.current, version, held, status, error, notice, append };
}

/** What a control event means for the view: how the stream ended (a heartbeat means nothing). */
export function describeStreamEnd(control: LogControl): { status: StreamStatus; error: string | null } | undefined {
  if (control.event === "heartbeat" || control.event === "notice") return undefined;
  if (control.event === "end") return { status: "ended", error: null };
  return { status: control.code === FILTER_BUDGET ? "cut-short" : "error", error: control.message ?? "The log stream stopped" };
}

async function readNdjson(
  url: string,
  signal: AbortSignal,
  onLines: (lines: Omit<ViewLine, "id">[]) => void,
  onControl: (c: LogControl) => void,
): Promise<void> {
  const res = await fetch(url, { signal, headers: { accept: "application/x-ndjson" } });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The panel answered HTTP ${res.status}`);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const parts = (rest + value).split("\n");
    rest = parts.pop() ?? "";
    const lines: Omit<ViewLine, "id">[] = [];
    for (const part of parts) {
      if (!part) continue;
      const msg = JSON.parse(part) as {
        seq?: number;
        stream?: string;
        ts?: string;
        text?: string;
        event?: LogControl["event"];
        code?: LogControl["code"];
        message?: string;
      };
      if (msg.event) onControl({ event: msg.event, code: msg.code, message: msg.message });
      else lines.push({ seq: msg.seq ?? 0, isErr: msg.stream === "stderr", ts: msg.ts, text: msg.text ?? "" });
    }
    if (lines.length) onLines(lines);
  }
}
