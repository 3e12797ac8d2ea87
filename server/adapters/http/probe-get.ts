import http from "node:http";
import https from "node:https";

export interface ProbeAnswer {
  status: number;
  /** The first `maxBodyBytes` of the body. */
  body: string;
  version: string | null;
  ms: number;
}

export interface ProbeGetOptions {
  timeoutMs: number;
  userAgent: string;
  signal?: AbortSignal;
  maxBodyBytes?: number;
}

/**
 * One health GET on a fresh connection (no keep-alive pool, no redirects followed): it measures what
 * a new visitor gets, including the connect, and is never fooled by a pooled connection the proxy
 * closed when it reloaded its config. Rejects with the socket error's code (ECONNREFUSED…), or with a
 * TimeoutError after `timeoutMs`.
 */
export function probeGet(url: string, opts: ProbeGetOptions): Promise<ProbeAnswer> {
  const started = performance.now();
  const maxBody = opts.maxBodyBytes ?? 512;
  const client = new URL(url).protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(
      url,
      { agent: false, headers: { "user-agent": opts.userAgent, connection: "close" }, signal: opts.signal },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < maxBody) chunks.push(chunk);
          size += chunk.length;
          if (size >= maxBody) res.destroy();
        });
        const finish = () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, maxBody).toString("utf8"),
            version: headerValue(res.headers["x-app-version"]),
            ms: Math.round(performance.now() - started),
          });
        res.on("end", finish);
        res.on("close", finish);
        res.on("error", () => undefined);
      },
    );
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error(`no answer within ${opts.timeoutMs} ms`), { name: "TimeoutError" })),
      opts.timeoutMs,
    );
    req.on("error", reject);
    req.on("close", () => clearTimeout(timer));
  });
}

function headerValue(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

/** A short reason for a failed probe: "no answer within 5000 ms", "ECONNREFUSED", "aborted"… */
export function probeFailure(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string };
  if (e.name === "TimeoutError") return e.message ?? "timed out";
  if (e.name === "AbortError") return "aborted";
  return e.code ?? e.message ?? "failed";
}
