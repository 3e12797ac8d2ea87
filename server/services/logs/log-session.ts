import { DockerFrameDemuxer, RawLogPassthrough } from "@/server/adapters/docker";
import type { DockerLogRequest, DockerLogSource, OpenLogSource } from "./docker-log-source";
import { type LineFilter, type Selection, selectMatching } from "./filter";
import { LogLineSplitter, type RawLine } from "./line-splitter";
import { encodeControl, encodeLines, HEARTBEAT_MS } from "./ndjson";
import { ResumePoint } from "./resume-point";
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
  /**
   * A follow stream of a container's log that may be reopened where it stopped when the connection
   * to the host is lost (a cut link, an sshd restart): while `isRunning` says the container still
   * runs, the stream is reopened from the last line's timestamp (Docker's timestamps are requested
   * for this, and shown only if asked for), for up to `maxOutageMs` (default 2 min).
   */
  resume?: { isRunning: () => Promise<boolean>; maxOutageMs?: number; retryMs?: number };
}

/** How long a lost follow stream keeps trying to reopen, and how often. */
const RESUME_MAX_OUTAGE_MS = 120_000;
const RESUME_RETRY_MS = 2_000;

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
  private openSource?: OpenLogSource;
  private readonly point = new ResumePoint();

  constructor(private readonly options: LogSessionOptions) {
    this.ring = new RingBuffer(options.ringCapacity);
  }

  private get isResumable(): boolean {
    return Boolean(this.options.resume && this.options.request.follow && this.options.request.until === undefined);
  }

  /** Opens the remote stream; rejects (nothing held) when the host or container fails. */
  async open(openSource: OpenLogSource): Promise<void> {
    this.openSource = openSource;
    const request = this.isResumable ? { ...this.options.request, timestamps: true } : this.options.request;
    const source = await openSource(request);
    if (this.isClosed) return source.close();
    this.listen(source, false);
    // Paused until a viewer asks for data.
    source.stream.pause();
    if (this.options.request.follow) this.startHeartbeat(this.options.heartbeatMs ?? HEARTBEAT_MS);
  }

  private listen(source: DockerLogSource, isReopened: boolean): void {
    this.source = source;
    const decoder = source.isTty ? new RawLogPassthrough() : new DockerFrameDemuxer();
    const resumable = this.isResumable;
    const splitter = new LogLineSplitter(resumable || this.options.request.timestamps);
    const take = (lines: RawLine[]) => {
      if (!resumable) return lines;
      const fresh = isReopened ? lines.filter((l) => this.point.isNew(l.ts)) : lines;
      for (const l of fresh) this.point.delivered(l.ts);
      return this.options.request.timestamps ? fresh : fresh.map(({ ts: _ts, ...l }) => l);
    };
    let isOver = false;
    const over = (err?: Error) => {
      if (isOver || this.source !== source) return;
      isOver = true;
      this.publish(take(splitter.flush()));
      if (resumable && !this.isClosed) void this.reopen(err);
      else if (err) this.finish(encodeControl({ event: "error", message: `The log stream broke: ${err.message}` }));
      else this.finish(encodeControl({ event: "end" }));
    };
    source.stream.on("data", (chunk: Buffer) => this.publish(take(splitter.push(decoder.push(chunk)))));
    source.stream.once("end", () => over());
    source.stream.once("close", () => over());
    source.stream.once("error", (err) => over(err));
  }

  /**
   * The remote stream ended: a container that stopped ends the log; a lost connection is reopened
   * from the resume point, retrying until the outage limit (viewers are told while it retries, and
   * when it is back).
   */
  private async reopen(err: Error | undefined): Promise<void> {
    const resume = this.options.resume!;
    const deadline = Date.now() + (resume.maxOutageMs ?? RESUME_MAX_OUTAGE_MS);
    let told = false;
    for (;;) {
      if (this.isClosed) return;
      const running = await resume.isRunning().catch(() => null);
      if (running === false) return this.finish(encodeControl({ event: "end" }));
      if (running === true) {
        try {
          this.point.reopen();
          const source = await this.openSource!({ ...this.options.request, timestamps: true, tail: "all", since: this.point.since() });
          if (this.isClosed) return source.close();
          this.listen(source, true);
          this.notify(`Reconnected: the log goes on after ${this.point.description}, nothing repeated or skipped`);
          if (!this.viewersFull()) source.stream.resume();
          else source.stream.pause();
          return;
        } catch {
          /* still unreachable: try again */
        }
      }
      if (Date.now() > deadline)
        return this.finish(
          encodeControl({
            event: "error",
            message: `The log stream broke and could not be reopened: ${err?.message ?? "the connection was lost"}`,
          }),
        );
      if (!told) {
        told = true;
        this.notify(`The connection to the host was lost${err ? ` (${err.message})` : ""}: reconnecting…`);
      }
      await new Promise((r) => setTimeout(r, resume.retryMs ?? RESUME_RETRY_MS));
    }
  }

  private notify(message: string): void {
    const chunk = encodeControl({ event: "notice", message });
    for (const v of this.viewers) if (!v.isClosed) v.controller.enqueue(chunk);
  }

  private viewersFull(): boolean {
    for (const v of this.viewers) if ((v.controller.desiredSize ?? 1) <= 0) return true;
    return false;
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

  private publish(raw: RawLine[]): void {
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
