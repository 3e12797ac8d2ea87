/**
 * A fixed-capacity FIFO that drops its oldest items when full. Storage grows on demand up to the
 * capacity, so a large capacity (a million lines in the browser) costs nothing until it is used.
 * Plain TypeScript with no Node imports: the browser's log view uses it too.
 */
export class RingBuffer<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private size = 0;
  /** Items pushed out because the buffer was full, since creation or the last clear. */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError("capacity must be a non-negative integer");
  }

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    if (this.capacity === 0) {
      this.dropped++;
      return;
    }
    if (this.size < this.capacity) {
      const index = (this.head + this.size) % this.capacity;
      if (index === this.items.length) this.items.push(item);
      else this.items[index] = item;
      this.size++;
      return;
    }
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    this.dropped++;
  }

  pushAll(items: readonly T[]): void {
    for (const item of items) this.push(item);
  }

  /** The i-th oldest item still held (0 = oldest). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.size) return undefined;
    return this.items[(this.head + i) % this.capacity];
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.items[(this.head + i) % this.capacity] as T;
    return out;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.size = 0;
    this.dropped = 0;
  }
}
