/** Latency of the panel's own /api/healthz, sampled one request at a time: how long any request waits. */
export interface HealthzFigures {
  requests: number;
  failures: number;
  p50: number;
  p95: number;
  max: number;
}

/**
 * Polls `${baseURL}/api/healthz` every `intervalMs` (after each answer) until `stop()`; each request is
 * timed from send to the end of its body. A request that fails or takes over 5 s counts as a failure.
 */
export function startHealthzProbe(baseURL: string, intervalMs = 100) {
  const samples: number[] = [];
  let failures = 0;
  let isStopped = false;
  const done = (async () => {
    while (!isStopped) {
      const started = performance.now();
      try {
        const res = await fetch(`${baseURL}/api/healthz`, { signal: AbortSignal.timeout(5_000) });
        await res.text();
        if (!res.ok) failures++;
      } catch {
        failures++;
      }
      samples.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop(): Promise<HealthzFigures> {
      isStopped = true;
      await done;
      return summarize(samples, failures);
    },
  };
}

function summarize(samples: number[], failures: number): HealthzFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { requests: samples.length, failures, p50: at(0.5), p95: at(0.95), max: Math.round(sorted.at(-1) ?? 0) };
}

/** One line for the test output. */
export function describeHealthz(what: string, f: HealthzFigures): string {
  return `[healthz] ${what}: ${f.requests} requests, ${f.failures} failed, p50 ${f.p50} ms, p95 ${f.p95} ms, max ${f.max} ms`;
}
