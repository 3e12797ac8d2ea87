import type { ChannelPurpose } from "./types";

/** Open and waiting channels of one purpose. */
export interface PurposeCount {
  open: number;
  queued: number;
}

interface Waiter {
  purpose: ChannelPurpose;
  grant: () => void;
  reject: (err: unknown) => void;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The channel slots of one SSH connection, shared by two purposes. At most `total` channels are
 * open (sshd refuses sessions beyond MaxSessions, so we queue instead of failing), and at most
 * `streamLimit` of them serve log streams: operations (deploy, backup, health…) always keep
 * `total - streamLimit` slots, and may also use the stream slots that are free. A freed slot goes to
 * the oldest waiting operation first, then to the oldest waiting stream. A waiter that is not served
 * within its timeout leaves the queue and is rejected with the error its caller built.
 */
export class ChannelBudget {
  private readonly inUse: Record<ChannelPurpose, number> = { stream: 0, operation: 0 };
  private readonly waiting: Record<ChannelPurpose, Waiter[]> = { stream: [], operation: [] };

  constructor(
    readonly total: number,
    readonly streamLimit: number,
  ) {
    if (!Number.isInteger(total) || total < 1) throw new RangeError(`Channel cap must be a positive integer, got ${total}`);
    if (!Number.isInteger(streamLimit) || streamLimit < 1 || streamLimit > total) {
      throw new RangeError(`Stream channel cap must be a whole number from 1 to the channel cap (${total}), got ${streamLimit}`);
    }
  }

  get active(): number {
    return this.inUse.stream + this.inUse.operation;
  }

  get queued(): number {
    return this.waiting.stream.length + this.waiting.operation.length;
  }

  count(purpose: ChannelPurpose): PurposeCount {
    return { open: this.inUse[purpose], queued: this.waiting[purpose].length };
  }

  /**
   * Wait for a slot for `purpose`; resolves to a release function that is safe to call more than
   * once. After `timeoutMs` without a slot, rejects with `onTimeout()` (built then, so it can
   * describe what kept the slots busy); the waiter is gone from the queue by then.
   */
  acquire(purpose: ChannelPurpose, options: { timeoutMs: number; onTimeout: () => Error }): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        purpose,
        grant: () => {
          clearTimeout(waiter.timer);
          this.inUse[purpose] += 1;
          resolve(this.releaser(purpose));
        },
        reject: (err) => {
          clearTimeout(waiter.timer);
          reject(err);
        },
      };
      // Served at once only when nobody of a higher or equal rank is waiting (no overtaking).
      if (this.canGrant(purpose) && this.waiting[purpose].length === 0) return waiter.grant();
      this.waiting[purpose].push(waiter);
      waiter.timer = setTimeout(() => {
        const queue = this.waiting[purpose];
        const index = queue.indexOf(waiter);
        if (index < 0) return;
        queue.splice(index, 1);
        reject(options.onTimeout());
      }, options.timeoutMs);
    });
  }

  /** Reject every queued waiter (the connection they wait for is gone). */
  rejectQueued(err: unknown): void {
    for (const purpose of ["operation", "stream"] as const) {
      for (const waiter of this.waiting[purpose].splice(0)) waiter.reject(err);
    }
  }

  private canGrant(purpose: ChannelPurpose): boolean {
    if (this.active >= this.total) return false;
    if (purpose === "operation") return true;
    // A stream never takes a slot while an operation waits for one.
    return this.inUse.stream < this.streamLimit && this.waiting.operation.length === 0;
  }

  private releaser(purpose: ChannelPurpose): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse[purpose] -= 1;
      this.serveWaiting();
    };
  }

  /** Operations first; canGrant also keeps streams out while an operation waits, whatever the order. */
  private serveWaiting(): void {
    for (const purpose of ["operation", "stream"] as const) {
      const queue = this.waiting[purpose];
      while (queue.length > 0 && this.canGrant(purpose)) queue.shift()!.grant();
    }
  }
}
