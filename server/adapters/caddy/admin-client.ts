import http from "node:http";
import { openTunnel } from "@/server/adapters/tunnel/tunnel";
import { AppError, type AppErrorDetails } from "@/server/errors";
import { redactPatterns } from "@/server/redact";
import type { CaddyOptions } from "./types";

const DEFAULT_ADMIN_PORT = 2019;
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** A raw answer of the admin API. */
export interface AdminResponse {
  status: number;
  text: string;
}

/** Requests to one Caddy admin API, with errors that name the host and the admin address. */
export interface CaddyAdmin {
  /** "app:127.0.0.1:2019": how messages name this admin API. */
  readonly where: string;
  readonly containerName: string;
  /** Send a request; connection failures and timeouts throw, any HTTP status is returned. */
  send(method: "GET" | "PATCH" | "PUT", path: string, action: string, body?: unknown): Promise<AdminResponse>;
  /** Send and parse JSON; a non-2xx answer throws REMOTE_FAILED / NOT_FOUND with Caddy's own error text. */
  json<T>(method: "GET" | "PATCH" | "PUT", path: string, action: string, body?: unknown): Promise<T>;
}

/**
 * Run `fn` with a client for the host's Caddy admin API: through an SSH tunnel to the host's
 * 127.0.0.1:<adminPort> (closed afterwards), or to `options.adminUrl` when given.
 */
export async function withCaddyAdmin<T>(options: CaddyOptions, fn: (admin: CaddyAdmin) => Promise<T>): Promise<T> {
  const adminPort = options.adminPort ?? DEFAULT_ADMIN_PORT;
  if (options.adminUrl) return fn(createCaddyAdmin(new URL(options.adminUrl), options, () => undefined));
  const tunnel = await openTunnel(options.target, adminPort, { pool: options.pool });
  try {
    return await fn(createCaddyAdmin(new URL(`http://127.0.0.1:${tunnel.localPort}`), options, () => tunnel.lastError));
  } finally {
    await tunnel.close();
  }
}

/** The client for a base URL; `tunnelError` tells why a tunnelled connection was reset, if it was. */
export function createCaddyAdmin(base: URL, options: CaddyOptions, tunnelError: () => AppError | undefined): CaddyAdmin {
  const adminPort = options.adminPort ?? DEFAULT_ADMIN_PORT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const containerName = options.containerName ?? "pxlfox-proxy";
  const where = `${options.target.name}:127.0.0.1:${adminPort}`;
  // Caddy checks Host (and Origin, when enforce_origin is on) against its admin listen address,
  // which is the host's 127.0.0.1:<adminPort>, not the tunnel's local port.
  const hostHeader = `127.0.0.1:${adminPort}`;
  const details = (action: string, cause?: unknown, data?: Record<string, unknown>): AppErrorDetails => ({ host: options.target.name, action, cause, data: { admin: where, ...data } });

  const send: CaddyAdmin["send"] = async (method, path, action, body) => {
    try {
      return await sendRequest(base, { method, path, hostHeader, timeoutMs, body });
    } catch (err) {
      if (isTimeout(err)) {
        throw new AppError("HOST_TIMEOUT", `Caddy's admin API on ${where} did not answer within ${timeoutMs / 1000} s while trying to ${action}: check ${containerName}'s logs and load, then retry.`, details(action, err));
      }
      const fromTunnel = tunnelError();
      if (fromTunnel && fromTunnel.code !== "HOST_UNREACHABLE") throw fromTunnel;
      throw new AppError(
        "HOST_UNREACHABLE",
        `Caddy's admin API is not answering on ${where} (while trying to ${action}) — is ${containerName} running with the admin API enabled on 127.0.0.1:${adminPort}?`,
        details(action, fromTunnel ?? err),
      );
    }
  };

  return {
    where,
    containerName,
    send,
    async json<T>(method: "GET" | "PATCH" | "PUT", path: string, action: string, body?: unknown): Promise<T> {
      const res = await send(method, path, action, body);
      if (res.status < 200 || res.status > 299) throw mapAdminStatus(res, where, action, details(action, undefined, { status: res.status }));
      if (!res.text.trim()) return null as T;
      try {
        return JSON.parse(res.text) as T;
      } catch (err) {
        throw new AppError("REMOTE_FAILED", `Caddy's admin API on ${where} answered ${action} with something that is not JSON.`, details(action, err));
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
  if (res.status === 404) return new AppError("NOT_FOUND", `Caddy's admin API on ${where} has nothing at that path (while trying to ${action}): ${caddySays}.`, details);
  return new AppError("REMOTE_FAILED", `Caddy's admin API on ${where} answered HTTP ${res.status} while trying to ${action}: ${caddySays || "no details"}.`, details);
}

function isTimeout(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "ETIMEDOUT";
}

/** One HTTP request with an explicit Host header (fetch cannot set Host). */
function sendRequest(base: URL, req: { method: string; path: string; hostHeader: string; timeoutMs: number; body?: unknown }): Promise<AdminResponse> {
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: base.hostname,
        port: base.port || 80,
        method: req.method,
        path: req.path,
        // A fresh connection per request: the tunnel's listener goes away with the call.
        agent: false,
        headers: {
          Host: req.hostHeader,
          Origin: `http://${req.hostHeader}`,
          Accept: "application/json",
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
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    request.setTimeout(req.timeoutMs, () => request.destroy(Object.assign(new Error(`no answer within ${req.timeoutMs} ms`), { code: "ETIMEDOUT" })));
    request.on("error", reject);
    request.end(payload);
  });
}
