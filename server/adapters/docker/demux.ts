import { Transform, type TransformCallback } from "node:stream";

const HEADER_BYTES = 8;

/** Which output of a container a piece of bytes came from. */
export type DockerStreamName = "stdout" | "stderr";

const STREAM_NAMES: Record<number, DockerStreamName> = { 1: "stdout", 2: "stderr" };

/** A piece of one output, in the order Docker sent it. */
export interface LogFrame {
  stream: DockerStreamName;
  payload: Buffer;
}

/**
 * Incremental parser for Docker's multiplexed stream format (logs, and exec without a TTY): each
 * frame is an 8-byte header (stream type, 3 zero bytes, big-endian uint32 length) and its payload.
 * Frames may be split across chunks at any byte. A large frame is handed out in pieces as it
 * arrives, so memory stays bounded by the chunk size, never by the frame length. The one demuxer
 * of the panel: logs, exec output and log tails all go through it.
 */
export class DockerFrameDemuxer {
  private header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private remaining = 0;
  private stream: DockerStreamName = "stdout";

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
        // Stream 0 (stdin) never carries output; count it as stdout rather than drop bytes.
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

/**
 * The demuxer as a Transform: stdout payload is pushed downstream (so backpressure reaches the
 * remote end), stderr goes to `onStderr`.
 */
export class ExecDemux extends Transform {
  private readonly demux = new DockerFrameDemuxer();

  constructor(private readonly onStderr: (chunk: Buffer) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    for (const frame of this.demux.push(chunk)) {
      if (frame.stream === "stderr") this.onStderr(frame.payload);
      else this.push(frame.payload);
    }
    done();
  }
}

/** A whole buffered log (multiplexed, or raw for a TTY container) as its non-empty lines, in order. */
export function demuxToLines(buf: Buffer): string[] {
  const isMux = buf.length >= 8 && (buf[0] === 1 || buf[0] === 2) && buf[1] === 0 && buf[2] === 0 && buf[3] === 0;
  const text = isMux ? Buffer.concat(new DockerFrameDemuxer().push(buf).map((f) => f.payload)).toString("utf8") : buf.toString("utf8");
  return text.split("\n").filter((line) => line.length > 0);
}

/** Keeps the last `max` bytes of a stream's text (errors are at the end). */
export function createTailBuffer(max = 16 * 1024) {
  let buf = Buffer.alloc(0);
  return {
    push(chunk: Buffer) {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length > max) buf = buf.subarray(buf.length - max);
    },
    text: () => buf.toString("utf8"),
  };
}

/** Encode one frame the way the Engine does (for tests and fakes). */
export function encodeDockerFrame(stream: DockerStreamName, payload: Buffer | string): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = stream === "stdout" ? 1 : 2;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}
