/**
 * A bounded request loop through the proxy, counting failures and the versions that answered:
 * the zero-downtime check. Only targets the fleet's app host address.
 */
export function startTraffic(url: string, opts: { intervalMs?: number; maxRequests?: number; maxMs?: number } = {}) {
  const intervalMs = opts.intervalMs ?? 25;
  const maxRequests = opts.maxRequests ?? 6_000;
  const maxMs = opts.maxMs ?? 120_000;
  const stats = { requests: 0, failures: 0, versions: new Map<string, number>(), errors: [] as string[] };
  let stopped = false;
  const started = Date.now();
  const done = (async () => {
    while (!stopped && stats.requests < maxRequests && Date.now() - started < maxMs) {
      stats.requests++;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        const body = await res.text();
        const version = res.headers.get("x-app-version") ?? "?";
        stats.versions.set(version, (stats.versions.get(version) ?? 0) + 1);
        if (res.status !== 200 || !body.includes("pong")) {
          stats.failures++;
          stats.errors.push(`${new Date().toISOString()} ${res.status} ${body.slice(0, 80)}`);
        }
      } catch (err) {
        stats.failures++;
        stats.errors.push(`${new Date().toISOString()} ${String((err as Error).message)}`);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    stats,
    async stop() {
      stopped = true;
      await done;
      return stats;
    },
  };
}

export async function servedVersion(url: string): Promise<string | null> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return res.headers.get("x-app-version");
}
