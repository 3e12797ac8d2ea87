import http from "node:http";
import https from "node:https";

export type HttpMethod = "GET" | "HEAD" | "POST";

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** The whole exchange (connect, send, answer) must end within this. */
  timeoutMs: number;
  /** Keep at most this many body bytes (default 64 KiB); the rest is not read. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  /** Header names in lower case; repeated headers (Set-Cookie) as arrays. */
  headers: Record<string, string | string[]>;
  /** The first `maxBodyBytes` of the body. */
  body: Buffer;
  /** True when the body was longer than `maxBodyBytes` and cut off. */
  truncated: boolean;
  ms: number;
}

/**
 * One HTTP request on a fresh connection (no keep-alive pool) that never follows redirects: like
 * `probeGet`, it measures what a new visitor gets, and a 302 is an answer to look at, not a place
 * to go. Rejects with the socket error's code (ECONNREFUSED…), with a TimeoutError after
 * `timeoutMs`, or with an AbortError.
 */
export function httpRequest(req: HttpRequest): Promise<HttpAnswer> {
  const started = performance.now();
  const maxBody = req.maxBodyBytes ?? 64 * 1024;
  const client = new URL(req.url).protocol === "https:" ? https : http;
  const headers: Record<string, string> = { "user-agent": "pixelfox-ops/smoke", ...req.headers, connection: "close" };
  if (req.body) headers["content-length"] = String(req.body.length);
  const timeoutError = Object.assign(new Error(`no answer within ${req.timeoutMs} ms`), { name: "TimeoutError" });
  let timedOut = false;
  return new Promise((resolve, reject) => {
    const r = client.request(req.url, { method: req.method, agent: false, headers, signal: req.signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on("data", (chunk: Buffer) => {
        if (size < maxBody) chunks.push(chunk);
        size += chunk.length;
        if (size > maxBody) {
          truncated = true;
          res.destroy();
        }
      });
      const finish = () => {
        clearTimeout(timer);
        if (timedOut) return reject(timeoutError);
        if (req.signal?.aborted) return reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers as Record<string, string | string[]>,
          body: Buffer.concat(chunks).subarray(0, maxBody),
          truncated,
          ms: Math.round(performance.now() - started),
        });
      };
      res.on("end", finish);
      res.on("close", finish);
      res.on("error", () => undefined);
    });
    // A body that stops halfway is a timeout too, not a short answer.
    const timer = setTimeout(() => {
      timedOut = true;
      r.destroy(timeoutError);
    }, req.timeoutMs);
    r.on("error", reject);
    r.on("close", () => clearTimeout(timer));
    r.end(req.body);
  });
}
