import http from "node:http";

/**
 * A bounded request loop through the proxy, counting failures and the versions that answered:
 * the zero-downtime check. Only targets the fleet's app host address.
 *
 * It behaves like a browser on keep-alive connections: when Caddy applies a new config it closes
 * its idle keep-alive connections, and a request written to such a socket in the instant before the
 * close is seen fails with ECONNRESET / "socket hang up" without any answer. HTTP clients (browsers,
 * curl, Go) retry that once on a fresh connection (RFC 9110 §9.2.2, idempotent GET), and so does this
 * loop, counting it in `reusedSocketRetries`. Anything else — an error on a fresh connection, a
 * non-200, a wrong body, a failed retry — is a failure.
 */
export function startTraffic(
  url: string,
  opts: {
    intervalMs?: number;
    maxRequests?: number;
    maxMs?: number;
    /**
     * Every request on a new connection (as many first visits at once): these are the ones a proxy
     * drops when it closes a listener with connections still queued, and nothing may retry them.
     */
    freshConnections?: boolean;
    /** Source address for the requests, e.g. the WAN emulator's own, whose traffic its redirect leaves alone (users do not cross the panel's link). */
    localAddress?: string;
  } = {},
) {
  const intervalMs = opts.intervalMs ?? 25;
  const maxRequests = opts.maxRequests ?? 6_000;
  const maxMs = opts.maxMs ?? 120_000;
  const stats = { requests: 0, failures: 0, reusedSocketRetries: 0, versions: new Map<string, number>(), errors: [] as string[] };
  const agent = opts.freshConnections ? false : new http.Agent({ keepAlive: true, maxSockets: 1 });
  let stopped = false;
  const started = Date.now();
  const done = (async () => {
    while (!stopped && stats.requests < maxRequests && Date.now() - started < maxMs) {
      stats.requests++;
      try {
        let res = await get(url, agent, opts.localAddress);
        if (res.kind === "reused-socket-closed") {
          stats.reusedSocketRetries++;
          res = await get(url, agent, opts.localAddress);
        }
        if (res.kind !== "answer") throw res.error;
        stats.versions.set(res.version, (stats.versions.get(res.version) ?? 0) + 1);
        if (res.status !== 200 || !res.body.includes("pong")) {
          stats.failures++;
          stats.errors.push(`${new Date().toISOString()} ${res.status} ${res.body.slice(0, 80)}`);
        }
      } catch (err) {
        stats.failures++;
        const e = err as NodeJS.ErrnoException;
        stats.errors.push(`${new Date().toISOString()} ${e.code ?? ""} ${e.message}`);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    stats,
    async stop() {
      stopped = true;
      await done;
      if (agent) agent.destroy();
      return stats;
    },
  };
}

type Outcome =
  | { kind: "answer"; status: number; body: string; version: string }
  | { kind: "reused-socket-closed"; error: Error }
  | { kind: "error"; error: Error };

function get(url: string, agent: http.Agent | false, localAddress?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    let answered = false;
    const req = http.get(url, { agent, timeout: 5_000, localAddress }, (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () =>
        resolve({ kind: "answer", status: res.statusCode ?? 0, body, version: String(res.headers["x-app-version"] ?? "?") }),
      );
      res.on("error", (error) => resolve({ kind: "error", error }));
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 5 s")));
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (answered) return resolve({ kind: "error", error });
      const closedIdle = req.reusedSocket && (error.code === "ECONNRESET" || error.message === "socket hang up");
      resolve(closedIdle ? { kind: "reused-socket-closed", error } : { kind: "error", error });
    });
  });
}

export async function servedVersion(url: string, localAddress?: string): Promise<string | null> {
  if (localAddress) {
    const res = await get(url, false, localAddress);
    return res.kind === "answer" ? res.version : null;
  }
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return res.headers.get("x-app-version");
}

/** One line for the test output: what the zero-downtime loop saw. */
export function describeTraffic(what: string, stats: ReturnType<typeof startTraffic>["stats"]): string {
  const versions = [...stats.versions].map(([v, n]) => `${v}×${n}`).join(", ");
  return `[traffic] ${what}: ${stats.requests} requests, ${stats.failures} failed, ${stats.reusedSocketRetries} retried once after the proxy closed an idle keep-alive connection (${versions})`;
}
