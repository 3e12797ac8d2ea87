import http from "node:http";
import type { Duplex } from "node:stream";
import { openForwardedStream } from "@/server/adapters/tunnel/tunnel";
import { AppError, isAppError, type AppErrorDetails } from "@/server/errors";
import { redactPatterns } from "@/server/redact";
import type { CaddyOptions } from "./types";

const DEFAULT_ADMIN_PORT = 2019;
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** A raw answer of the admin API. */
export interface AdminResponse {
  status: number;
  text: string;
  /** Caddy's `"<config path> <hash>"` ETag (sent as a trailer on GET), for `If-Match`. */
  etag?: string;
}

type Method = "GET" | "PATCH" | "PUT";

/** Requests to one Caddy admin API, with errors that name the host and the admin address. */
export interface CaddyAdmin {
  /** "app:127.0.0.1:2019": how messages name this admin API. */
  readonly where: string;
  /** The host's inventory name ("app"), for the `host` of errors. */
  readonly host: string;
  readonly containerName: string;
  /** Send a request; connection failures and timeouts throw, any HTTP status is returned. */
  send(method: Method, path: string, action: string, body?: unknown, headers?: Record<string, string>): Promise<AdminResponse>;
  /**
   * Send and parse JSON (with the ETag, if Caddy sent one); a non-2xx answer throws NOT_FOUND,
   * CONFLICT (412: `If-Match` no longer matches) or REMOTE_FAILED with Caddy's own error text.
   */
  json<T>(
    method: Method,
    path: string,
    action: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ value: T; etag?: string }>;
}

/** How a request reaches the admin API: a TCP address (tests), or a stream opened per request. */
type AdminTransport = { kind: "url"; base: URL } | { kind: "stream"; open: () => Promise<Duplex> };

/**
 * Run `fn` with a client for the host's Caddy admin API: one forwarded SSH channel per request to
 * the host's 127.0.0.1:<adminPort> on the pooled connection, or `options.adminUrl` when given.
 */
export async function withCaddyAdmin<T>(options: CaddyOptions, fn: (admin: CaddyAdmin) => Promise<T>): Promise<T> {
  return fn(createCaddyAdmin(options));
}

/**
 * The client. A forwarded stream per request rather than openTunnel's local listener: the stream
 * is handed straight to node:http, so its channel is released as soon as the answer is read.
 */
export function createCaddyAdmin(options: CaddyOptions): CaddyAdmin {
  const transport: AdminTransport = options.adminUrl
    ? { kind: "url", base: new URL(options.adminUrl) }
    : {
        kind: "stream",
        open: () => openForwardedStream(options.target, "127.0.0.1", options.adminPort ?? DEFAULT_ADMIN_PORT, { pool: options.pool }),
      };
  const adminPort = options.adminPort ?? DEFAULT_ADMIN_PORT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const containerName = options.containerName ?? "pxlfox-proxy";
  const where = `${options.target.name}:127.0.0.1:${adminPort}`;
  // Caddy checks Host (and Origin, when enforce_origin is on) against its admin listen address,
  // which is the host's 127.0.0.1:<adminPort>, whatever local address the request really goes to.
  const hostHeader = `127.0.0.1:${adminPort}`;
  const details = (action: string, cause?: unknown, data?: Record<string, unknown>): AppErrorDetails => ({
    host: options.target.name,
    action,
    cause,
    data: { admin: where, ...data },
  });

  const send: CaddyAdmin["send"] = async (method, path, action, body, headers) => {
    const notAnswering = (cause: unknown) =>
      new AppError(
        "HOST_UNREACHABLE",
        `Caddy's admin API is not answering on ${where} (while trying to ${action}) — is ${containerName} running with the admin API enabled on 127.0.0.1:${adminPort}?`,
        details(action, cause),
      );
    let stream: Duplex | undefined;
    if (transport.kind === "stream") {
      try {
        stream = await transport.open();
      } catch (err) {
        // "Nothing listens on 2019" is about Caddy; SSH failures (host down, key mismatch) keep their own message.
        const isRefusedForward = isAppError(err) && err.code === "HOST_UNREACHABLE" && err.data?.remotePort === adminPort;
        throw isRefusedForward ? notAnswering(err) : err;
      }
    }
    try {
      return await sendRequest(transport.kind === "url" ? { base: transport.base } : { stream: stream as Duplex }, {
        method,
        path,
        hostHeader,
        timeoutMs,
        body,
        headers,
      });
    } catch (err) {
      if (isTimeout(err)) {
        throw new AppError(
          "HOST_TIMEOUT",
          `Caddy's admin API on ${where} did not answer within ${timeoutMs / 1000} s while trying to ${action}: check ${containerName}'s logs and load, then retry.`,
          details(action, err),
        );
      }
      throw notAnswering(err);
    } finally {
      stream?.destroy();
    }
  };

  return {
    where,
    host: options.target.name,
    containerName,
    send,
    async json<T>(
      method: Method,
      path: string,
      action: string,
      body?: unknown,
      headers?: Record<string, string>,
    ): Promise<{ value: T; etag?: string }> {
      const res = await send(method, path, action, body, headers);
      if (res.status < 200 || res.status > 299)
        throw mapAdminStatus(res, where, action, details(action, undefined, { status: res.status }));
      if (!res.text.trim()) return { value: null as T, etag: res.etag };
      try {
        return { value: JSON.parse(res.text) as T, etag: res.etag };
      } catch (err) {
        throw new AppError(
          "REMOTE_FAILED",
          `Caddy's admin API on ${where} answered ${action} with something that is not JSON.`,
          details(action, err),
        );
      }
    },
  };
}

/** Caddy's error text from `{"error":"…"}`, or the raw body. */
export function readCaddyError(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === "string") return redactPatterns(parsed.error);
  } catch {
    // Not JSON.
  }
  return redactPatterns(text.trim().slice(0, 300));
}

function mapAdminStatus(res: AdminResponse, where: string, action: string, details: AppErrorDetails): AppError {
  const caddySays = readCaddyError(res.text);
  if (res.status === 403) {
    return new AppError(
      "REMOTE_FAILED",
      `Caddy's admin API on ${where} refused to ${action} (403: ${caddySays}): its admin "origins" must allow 127.0.0.1 on the admin port.`,
      details,
    );
  }
  if (res.status === 412) {
    return new AppError(
      "CONFLICT",
      `Caddy's config on ${where} changed while the panel was trying to ${action} (someone else, e.g. another deploy, changed it first): nothing was written. Check the proxy's current upstreams, then retry.`,
      details,
    );
  }
  if (res.status === 404)
    return new AppError(
      "NOT_FOUND",
      `Caddy's admin API on ${where} has nothing at that path (while trying to ${action}): ${caddySays}.`,
      details,
    );
  return new AppError(
    "REMOTE_FAILED",
    `Caddy's admin API on ${where} answered HTTP ${res.status} while trying to ${action}: ${caddySays || "no details"}.`,
    details,
  );
}

function isTimeout(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "ETIMEDOUT";
}

/** One HTTP request with an explicit Host header (fetch cannot set Host), over a TCP address or a ready stream. */
function sendRequest(
  via: { base: URL } | { stream: Duplex },
  req: { method: string; path: string; hostHeader: string; timeoutMs: number; body?: unknown; headers?: Record<string, string> },
): Promise<AdminResponse> {
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  const connection: http.RequestOptions =
    "stream" in via
      ? { createConnection: () => via.stream }
      : // A fresh connection per request, like the stream case.
        { host: via.base.hostname, port: via.base.port || 80, agent: false };
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        ...connection,
        method: req.method,
        path: req.path,
        headers: {
          Host: req.hostHeader,
          Origin: `http://${req.hostHeader}`,
          Accept: "application/json",
          Connection: "close",
          ...req.headers,
          ...(payload === undefined ? {} : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) request.destroy(new Error("Caddy's admin API answer is too large"));
          else chunks.push(chunk);
        });
        res.on("end", () => {
          clearTimeout(timer);
          const etag = res.headers.etag ?? res.trailers.etag;
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), etag });
        });
        res.on("error", reject);
      },
    );
    // Our own timer: an SSH channel has no socket timeout to lean on.
    const timer = setTimeout(
      () => request.destroy(Object.assign(new Error(`no answer within ${req.timeoutMs} ms`), { code: "ETIMEDOUT" })),
      req.timeoutMs,
    );
    request.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    request.end(payload);
  });
}
