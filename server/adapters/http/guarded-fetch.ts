import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import { isAppError } from "@/server/errors";
import { assertOutboundAllowed, createGuardedLookup, type OutboundDeps, type OutboundPurpose } from "./outbound-guard";

export interface GuardedFetchInit {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** A socket failure shaped like global fetch's, so existing mappers (`err.cause.code`) read it unchanged. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError("fetch failed", { cause });
}

/**
 * `fetch` for URLs an admin typed (webhooks, registries): refuses the panel's own port and
 * link-local / metadata addresses, checked before the request and again on the address the socket
 * connects to. Redirects are never followed (the caller sees the 3xx, as with `redirect: "manual"`).
 * Rejects with the guard's AppError, the signal's reason when aborted, or TypeError("fetch failed").
 */
export async function guardedFetch(
  url: string,
  init: GuardedFetchInit,
  purpose: OutboundPurpose,
  deps: OutboundDeps = {},
): Promise<Response> {
  const target = await assertOutboundAllowed(url, purpose, deps);
  const { signal } = init;
  signal?.throwIfAborted();
  const client = target.url.protocol === "https:" ? https : http;
  return new Promise<Response>((resolve, reject) => {
    let incoming: http.IncomingMessage | null = null;
    const onAbort = () => {
      // The reason (a TimeoutError for AbortSignal.timeout) also ends a body being read.
      incoming?.destroy(signal?.reason as Error);
      req.destroy(signal?.reason as Error);
    };
    const done = () => signal?.removeEventListener("abort", onAbort);
    const req = client.request(
      target.url,
      { method: init.method, headers: init.headers, agent: false, lookup: createGuardedLookup(target.port, purpose, deps) },
      (res) => {
        incoming = res;
        res.once("close", done);
        const status = res.statusCode ?? 0;
        const headers = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        const hasBody = init.method !== "HEAD" && !NULL_BODY_STATUSES.has(status);
        if (!hasBody) res.resume();
        try {
          const body = hasBody ? (Readable.toWeb(res) as ReadableStream<Uint8Array>) : null;
          resolve(new Response(body, { status, statusText: res.statusMessage, headers }));
        } catch (err) {
          res.destroy();
          reject(fetchFailed(err));
        }
      },
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    req.once("error", (err) => {
      done();
      if (signal?.aborted) return reject(signal.reason);
      reject(isAppError(err) ? err : fetchFailed(err));
    });
    req.end(init.body);
  });
}
