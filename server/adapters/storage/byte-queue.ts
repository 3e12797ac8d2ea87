/** A FIFO of bytes built from stream chunks, taken in fixed-size pieces without re-copying the whole buffer. */
export class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    if (!chunk.length) return;
    this.parts.push(chunk);
    this.length += chunk.length;
  }

  /** Removes and returns the first `n` bytes (n ≤ length). */
  take(n: number): Buffer {
    if (n > this.length) throw new RangeError(`take(${n}) from a queue of ${this.length} bytes`);
    this.length -= n;
    const head = this.parts[0];
    if (!head) return Buffer.alloc(0);
    if (head.length >= n) {
      if (head.length === n) this.parts.shift();
      else this.parts[0] = head.subarray(n);
      return head.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let offset = 0;
    while (offset < n) {
      const part = this.parts[0]!;
      const k = Math.min(part.length, n - offset);
      part.copy(out, offset, 0, k);
      offset += k;
      if (k === part.length) this.parts.shift();
      else this.parts[0] = part.subarray(k);
    }
    return out;
  }
}
