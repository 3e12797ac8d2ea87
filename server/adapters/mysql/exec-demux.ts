import { Transform, type TransformCallback } from "node:stream";

const HEADER = 8;

/**
 * Splits Docker's multiplexed exec output (8-byte frame headers) as a Transform: stdout payload is
 * pushed downstream (so backpressure reaches the remote end), stderr goes to `onStderr`.
 */
export class ExecDemux extends Transform {
  private header = Buffer.alloc(HEADER);
  private headerFill = 0;
  private remaining = 0;
  private streamType = 1;

  constructor(private readonly onStderr: (chunk: Buffer) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(HEADER - this.headerFill, chunk.length - offset);
        chunk.copy(this.header, this.headerFill, offset, offset + take);
        this.headerFill += take;
        offset += take;
        if (this.headerFill < HEADER) break;
        this.headerFill = 0;
        this.streamType = this.header[0] ?? 1;
        this.remaining = this.header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      const payload = chunk.subarray(offset, offset + take);
      offset += take;
      this.remaining -= take;
      if (this.streamType === 2) this.onStderr(payload);
      else this.push(payload);
    }
    done();
  }
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
