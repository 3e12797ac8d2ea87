/**
 * Counting semaphore with a FIFO queue. Caps the channels open on one SSH connection: sshd
 * refuses sessions beyond MaxSessions (10 by default), so we queue instead of failing.
 */
export class Semaphore {
  private inUse = 0;
  private readonly waiters: Array<{ grant: () => void; reject: (err: unknown) => void }> = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`Semaphore capacity must be a positive integer, got ${capacity}`);
  }

  get active(): number {
    return this.inUse;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** Wait for a slot; resolves to a release function that is safe to call more than once. */
  acquire(): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        this.inUse += 1;
        resolve(this.releaser());
      };
      if (this.inUse < this.capacity) grant();
      else this.waiters.push({ grant, reject });
    });
  }

  /** Reject every queued waiter (the connection they wait for is gone). */
  rejectQueued(err: unknown): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(err);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse -= 1;
      this.waiters.shift()?.grant();
    };
  }
}
