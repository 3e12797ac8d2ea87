import type { Duplex } from "node:stream";

/** One direction of an emulated WAN link: what it adds to every byte that crosses it. */
export interface LinkShape {
  /** Added one-way delay. */
  delayMs: number;
  /** Bandwidth in bytes per second; 0: unlimited. */
  rateBytesPerSec: number;
}

export interface LinkControl {
  /** True while the link is cut: nothing crosses (it stalls, as a lost route does; nothing is dropped). */
  isCut(): boolean;
}

/** Above this many queued bytes the sending side is paused until the link drains (TCP's own backpressure). */
const HIGH_WATER = 1 << 20;

/**
 * Moves bytes from `from` to `to` as a WAN link would: each chunk leaves `delayMs` after it arrived,
 * no sooner than the bandwidth allows after the chunk before it, in order. While the link is cut the
 * queue holds (the sender is paused once it is full); on restore it drains in order. Returns a function
 * that wakes the pipe (call it when the cut state changes).
 */
export function pipeWithShape(from: Duplex, to: Duplex, shape: LinkShape, control: LinkControl, now = () => performance.now()): () => void {
  const queue: { at: number; chunk: Buffer }[] = [];
  let queued = 0;
  let lastRelease = 0;
  let timer: NodeJS.Timeout | null = null;
  let ended = false;

  const schedule = () => {
    if (timer || !queue.length || control.isCut()) return;
    const wait = Math.max(0, queue[0]!.at - now());
    timer = setTimeout(release, wait);
  };
  function release() {
    timer = null;
    if (control.isCut()) return;
    const t = now();
    while (queue.length && queue[0]!.at <= t + 0.5) {
      const { chunk } = queue.shift()!;
      queued -= chunk.length;
      if (!to.destroyed) to.write(chunk);
    }
    if (queued < HIGH_WATER / 2 && from.isPaused()) from.resume();
    if (!queue.length && ended && !to.destroyed) to.end();
    schedule();
  }

  from.on("data", (chunk: Buffer) => {
    const arrived = now();
    const serialize = shape.rateBytesPerSec > 0 ? (chunk.length / shape.rateBytesPerSec) * 1000 : 0;
    // On the wire after the chunk before it (bandwidth), then the propagation delay.
    const sent = Math.max(arrived, lastRelease) + serialize;
    lastRelease = sent;
    queue.push({ at: sent + shape.delayMs, chunk });
    queued += chunk.length;
    if (queued >= HIGH_WATER) from.pause();
    schedule();
  });
  from.on("end", () => {
    ended = true;
    if (!queue.length && !to.destroyed) to.end();
  });
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!control.isCut()) release();
  };
}
