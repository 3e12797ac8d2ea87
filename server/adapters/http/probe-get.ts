import http from "node:http";
import https from "node:https";
import { isAppError } from "@/server/errors";
import { assertOutboundLiteralAllowed, createGuardedLookup, type OutboundDeps, type OutboundPurpose } from "./outbound-guard";

export interface ProbeAnswer {
  status: number;
  /**
   * The first `maxBodyBytes` of the body, for the caller to judge (`{"ping":"pong"}`).
   * Security: never shown: whatever answers may be a private service (see describeProbeAnswer).
   */
  body: string;
  /** The Content-Type header, when sent. */
  contentType: string | null;
  /** Content-Length when sent, otherwise the bytes received (at most `maxBodyBytes` + one chunk). */
  length: number;
  version: string | null;
  /** The response headers (lower-case names, first value): the audit reads security headers and Location. */
  headers: Record<string, string>;
  ms: number;
}

export interface ProbeGetOptions {
  timeoutMs: number;
  userAgent: string;
  signal?: AbortSignal;
  maxBodyBytes?: number;
  /** Sent as Host (a proxy reached through a tunnel, asked for the site it serves). */
  hostHeader?: string;
  /** For a URL an admin typed (the public domain): refuse the panel itself and link-local / metadata. */
  guard?: { purpose: OutboundPurpose; deps?: OutboundDeps };
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
  let lookup: ReturnType<typeof createGuardedLookup> | undefined;
  if (opts.guard) {
    try {
      const { port } = assertOutboundLiteralAllowed(url, opts.guard.purpose, opts.guard.deps);
      lookup = createGuardedLookup(port, opts.guard.purpose, opts.guard.deps);
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return new Promise((resolve, reject) => {
    const req = client.get(
      url,
      {
        agent: false,
        headers: { "user-agent": opts.userAgent, connection: "close", ...(opts.hostHeader ? { host: opts.hostHeader } : {}) },
        signal: opts.signal,
        ...(lookup ? { lookup } : {}),
      },
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
            contentType: headerValue(res.headers["content-type"]),
            length: Number(res.headers["content-length"]) || size,
            version: headerValue(res.headers["x-app-version"]),
            headers: Object.fromEntries(
              Object.entries(res.headers).flatMap(([k, v]) => {
                const one = headerValue(v);
                return one === null ? [] : [[k, one]];
              }),
            ),
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

/** Common types are named; any other is only its top-level type: the header is the remote's text too. */
const KNOWN_TYPES = new Set([
  "text/html",
  "text/plain",
  "text/xml",
  "text/css",
  "text/javascript",
  "application/json",
  "application/problem+json",
  "application/xml",
  "application/javascript",
  "application/octet-stream",
  "application/x-www-form-urlencoded",
]);
const TOP_LEVEL_TYPES = new Set(["text", "application", "image", "audio", "video", "font", "multipart", "message", "model"]);

function shownContentType(header: string | null): string {
  const mime = header?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!mime) return "no content type";
  if (KNOWN_TYPES.has(mime)) return mime;
  const top = mime.split("/")[0] ?? "";
  return TOP_LEVEL_TYPES.has(top) ? `${top}/*` : "unusual content type";
}

/**
 * What an answer was, for people: `HTTP 503 (text/html, 1234 bytes)`.
 * Security: never its content. A health URL may point at a private service (a public domain set
 * to a loopback address), and viewers read health reasons and job logs.
 */
export function describeProbeAnswer(a: { status: number; contentType: string | null; length: number }): string {
  const type = shownContentType(a.contentType);
  return `HTTP ${a.status} (${type}, ${a.length} byte${a.length === 1 ? "" : "s"})`;
}

/** A short reason for a failed probe: "no answer within 5000 ms", "ECONNREFUSED", "aborted"… */
export function probeFailure(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string };
  if (isAppError(err)) return err.message;
  if (e.name === "TimeoutError") return e.message ?? "timed out";
  if (e.name === "AbortError") return "aborted";
  return e.code ?? e.message ?? "failed";
}
