import type { LogFrame } from "@/server/adapters/docker";
import type { LogStreamName } from "./types";

/** Longer lines are cut into pieces of this many bytes, so one endless line cannot grow memory. */
export const MAX_LINE_BYTES = 64 * 1024;

/** A complete line (without its newline), before numbering. */
export interface RawLine {
  stream: LogStreamName;
  ts?: string;
  text: string;
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d)) /;

/**
 * Turns frame pieces into lines, one carry buffer per output (stdout and stderr lines are never
 * mixed). With `hasTimestamps`, Docker's "<RFC 3339> " prefix is split off into `ts`.
 */
export class LogLineSplitter {
  private carry: Record<LogStreamName, Buffer[]> = { stdout: [], stderr: [] };
  private carryBytes: Record<LogStreamName, number> = { stdout: 0, stderr: 0 };

  constructor(private readonly hasTimestamps: boolean) {}

  /** Lines completed by these frames, in order. */
  push(frames: LogFrame[]): RawLine[] {
    const lines: RawLine[] = [];
    for (const { stream, payload } of frames) {
      let start = 0;
      for (;;) {
        const nl = payload.indexOf(10, start);
        if (nl === -1) break;
        if (this.carryBytes[stream] === 0 && nl - start <= MAX_LINE_BYTES) {
          // The common case, a whole line inside one piece: decode it in place, no copy.
          lines.push(this.toLine(stream, payload.toString("utf8", start, nl)));
        } else {
          this.append(stream, payload.subarray(start, nl), lines);
          lines.push(this.take(stream));
        }
        start = nl + 1;
      }
      if (start < payload.length) this.append(stream, payload.subarray(start), lines);
    }
    return lines;
  }

  /** Whatever is left without a final newline (at the end of the log). */
  flush(): RawLine[] {
    const lines: RawLine[] = [];
    for (const stream of ["stdout", "stderr"] as const) if (this.carryBytes[stream] > 0) lines.push(this.take(stream));
    return lines;
  }

  private append(stream: LogStreamName, piece: Buffer, out: RawLine[]): void {
    let rest = piece;
    while (this.carryBytes[stream] + rest.length > MAX_LINE_BYTES) {
      const room = MAX_LINE_BYTES - this.carryBytes[stream];
      this.carry[stream].push(rest.subarray(0, room));
      this.carryBytes[stream] += room;
      out.push(this.take(stream));
      rest = rest.subarray(room);
    }
    if (rest.length) {
      // Copy: the piece is a slice of a chunk we do not want to keep alive.
      this.carry[stream].push(Buffer.from(rest));
      this.carryBytes[stream] += rest.length;
    }
  }

  private take(stream: LogStreamName): RawLine {
    const parts = this.carry[stream];
    const text = parts.length === 1 ? (parts[0] as Buffer).toString("utf8") : Buffer.concat(parts).toString("utf8");
    this.carry[stream] = [];
    this.carryBytes[stream] = 0;
    return this.toLine(stream, text);
  }

  private toLine(stream: LogStreamName, raw: string): RawLine {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (!this.hasTimestamps) return { stream, text };
    const m = TIMESTAMP.exec(text);
    return m ? { stream, ts: m[1], text: text.slice(m[0].length) } : { stream, text };
  }
}
