import type { LogStreamName } from "./types";

const HEADER_BYTES = 8;
const STREAM_NAMES: Record<number, LogStreamName> = { 1: "stdout", 2: "stderr" };

/** A piece of one output, in the order Docker sent it. */
export interface LogFrame {
  stream: LogStreamName;
  payload: Buffer;
}

/**
 * Incremental parser for Docker's multiplexed log format: each frame is an 8-byte header
 * (stream type, 3 zero bytes, big-endian uint32 length) and its payload. Frames may be split
 * across chunks at any byte. A large frame is handed out in pieces as it arrives, so memory
 * stays bounded by the chunk size, never by the frame length.
 */
export class DockerLogDemuxer {
  private header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private remaining = 0;
  private stream: LogStreamName = "stdout";

  /** Feed a chunk; returns the frame pieces it completes (payloads are slices of `chunk`). */
  push(chunk: Buffer): LogFrame[] {
    const frames: LogFrame[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(HEADER_BYTES - this.headerFill, chunk.length - offset);
        chunk.copy(this.header, this.headerFill, offset, offset + take);
        this.headerFill += take;
        offset += take;
        if (this.headerFill < HEADER_BYTES) break;
        this.headerFill = 0;
        // Stream 0 (stdin) never carries log output; count it as stdout rather than drop bytes.
        this.stream = STREAM_NAMES[this.header[0] ?? 1] ?? "stdout";
        this.remaining = this.header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      frames.push({ stream: this.stream, payload: chunk.subarray(offset, offset + take) });
      this.remaining -= take;
      offset += take;
    }
    return frames;
  }
}

/** For containers with a TTY Docker sends raw bytes (no headers): everything is stdout. */
export class RawLogPassthrough {
  push(chunk: Buffer): LogFrame[] {
    return chunk.length ? [{ stream: "stdout", payload: chunk }] : [];
  }
}

/** Encode one frame the way the Engine does (for tests and fakes). */
export function encodeDockerFrame(stream: LogStreamName, payload: Buffer | string): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = stream === "stdout" ? 1 : 2;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}
