/**
 * Peak RSS growth of this process while something runs, sampled every 20 ms with the cheap
 * `process.memoryUsage.rss()` (the full `memoryUsage()` walks the heap: called per chunk it cost
 * the logs bench 6 of its 11 seconds).
 */
export function sampleRss(): { base: number; peak(): number; stop(): number } {
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  return {
    base,
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss()) - base;
    },
  };
}
