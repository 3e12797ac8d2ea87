import { DockerFrameDemuxer, RawLogPassthrough } from "@/server/adapters/docker";
import type { DockerLogRequest, DockerLogSource, OpenLogSource } from "./docker-log-source";
import { type LineFilter, type Selection, selectMatching } from "./filter";
import { LogLineSplitter, type RawLine } from "./line-splitter";
import { encodeControl, encodeLines, HEARTBEAT_MS } from "./ndjson";
import { RingBuffer } from "./ring-buffer";
import type { LogLine } from "./types";

/** Bytes a viewer's response may queue before the remote stream is paused (backpressure). */
export const VIEWER_QUEUE_BYTES = 256 * 1024;

interface Viewer {
  controller: ReadableStreamDefaultController<Uint8Array>;
  isClosed: boolean;
}

export interface LogSessionOptions {
  request: DockerLogRequest;
  filter?: LineFilter;
  /** Rewrites each line before filtering (e.g. Caddy's JSON made readable), so the filter sees what the user reads. */
  transform?: (line: RawLine) => RawLine;
  /** Recent lines kept for late joiners (0 for a session that is never shared). */
  ringCapacity: number;
  /** Silence after which a follow stream sends `{ event: "heartbeat" }` (default HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** Called once when the session ends (last viewer left, log ended, or failed). */
  onClosed: () => void;
}

/**
 * One remote logs request fanned out to every viewer: lines are parsed, filtered and numbered
 * once. The remote stream is paused while any viewer's queue is full, resumed when all have
 * room, and closed when the last viewer leaves, so memory per stream stays bounded.
 */
export class LogSession {
  private readonly viewers = new Set<Viewer>();
  private readonly ring: RingBuffer<LogLine>;
  private source?: DockerLogSource;
  private seq = 0;
  private isClosed = false;
  private lastSentAt = Date.now();
  private heartbeat?: ReturnType<typeof setInterval>;

  constructor(private readonly options: LogSessionOptions) {
    this.ring = new RingBuffer(options.ringCapacity);
  }

  /** Opens the remote stream; rejects (nothing held) when the host or container fails. */
  async open(openSource: OpenLogSource): Promise<void> {
    const source = await openSource(this.options.request);
    if (this.isClosed) return source.close();
    this.source = source;
    const decoder = source.isTty ? new RawLogPassthrough() : new DockerFrameDemuxer();
    const splitter = new LogLineSplitter(this.options.request.timestamps);
    source.stream.on("data", (chunk: Buffer) => this.publish(splitter.push(decoder.push(chunk))));
    source.stream.once("end", () => {
      this.publish(splitter.flush());
      this.finish(encodeControl({ event: "end" }));
    });
    source.stream.once("error", (err) => this.finish(encodeControl({ event: "error", message: `The log stream broke: ${err.message}` })));
    // Paused until a viewer asks for data.
    source.stream.pause();
    if (this.options.request.follow) this.startHeartbeat(this.options.heartbeatMs ?? HEARTBEAT_MS);
  }

  private startHeartbeat(ms: number): void {
    const beat = encodeControl({ event: "heartbeat" });
    this.heartbeat = setInterval(
      () => {
        if (Date.now() - this.lastSentAt < ms) return;
        this.lastSentAt = Date.now();
        for (const v of this.viewers) {
          // A viewer that is not reading has bytes queued already: no need to wake it.
          if (!v.isClosed && (v.controller.desiredSize ?? 1) > 0) v.controller.enqueue(beat);
        }
      },
      Math.max(10, Math.floor(ms / 2)),
    );
    this.heartbeat.unref?.();
  }

  /** A new viewer's NDJSON body: the recent lines first (late joiners), then live lines. */
  attach(signal?: AbortSignal): ReadableStream<Uint8Array> {
    let viewer: Viewer | undefined;
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          const v: Viewer = { controller, isClosed: false };
          viewer = v;
          this.viewers.add(v);
          // The first bytes go out at once (the recent lines, or a heartbeat): an HTTP response's headers
          // are only flushed with its first chunk, so a filter that matches nothing yet would otherwise
          // leave the viewer's request pending until the first heartbeat.
          controller.enqueue(this.ring.length ? encodeLines(this.ring.toArray()) : encodeControl({ event: "heartbeat" }));
          signal?.addEventListener("abort", () => this.detach(v), { once: true });
        },
        pull: () => this.resumeIfReady(),
        cancel: () => {
          if (viewer) this.detach(viewer);
        },
      },
      { highWaterMark: VIEWER_QUEUE_BYTES, size: (chunk) => chunk.byteLength },
    );
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  private publish(raw: ReturnType<LogLineSplitter["push"]>): void {
    if (!raw.length || this.isClosed) return;
    const transform = this.options.transform;
    if (transform) raw = raw.map(transform);
    let selected: Selection<RawLine> = { kept: raw };
    try {
      if (this.options.filter) selected = selectMatching(this.options.filter, raw, (l) => l.text);
    } catch (err) {
      return this.finish(encodeControl({ event: "error", message: `The filter failed: ${(err as Error).message}` }));
    }
    const { kept, stopped } = selected;
    if (kept.length) this.send(kept);
    // The lines matched before the stop are sent, then the end says the results are incomplete.
    if (stopped) this.finish(encodeControl({ event: "error", code: stopped.code, message: stopped.message }));
  }

  private send(kept: RawLine[]): void {
    const lines: LogLine[] = kept.map((l) => ({ seq: ++this.seq, ...l }));
    this.ring.pushAll(lines);
    const chunk = encodeLines(lines);
    this.lastSentAt = Date.now();
    let isFull = false;
    for (const v of this.viewers) {
      if (v.isClosed) continue;
      v.controller.enqueue(chunk);
      if ((v.controller.desiredSize ?? 1) <= 0) isFull = true;
    }
    if (isFull) this.source?.stream.pause();
  }

  private resumeIfReady(): void {
    if (this.isClosed || !this.source || this.viewers.size === 0) return;
    for (const v of this.viewers) if ((v.controller.desiredSize ?? 1) <= 0) return;
    this.source.stream.resume();
  }

  private detach(viewer: Viewer): void {
    if (!this.viewers.delete(viewer)) return;
    viewer.isClosed = true;
    if (this.viewers.size === 0) this.close();
    else this.resumeIfReady();
  }

  private finish(last: Uint8Array): void {
    if (this.isClosed) return;
    for (const v of this.viewers) {
      if (v.isClosed) continue;
      v.isClosed = true;
      try {
        v.controller.enqueue(last);
        v.controller.close();
      } catch {
        // The viewer went away at the same moment.
      }
    }
    this.viewers.clear();
    this.close();
  }

  /** Ends the remote request: the docker logs call does not outlive its last viewer. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    clearInterval(this.heartbeat);
    this.source?.close();
    this.options.onClosed();
  }
}
