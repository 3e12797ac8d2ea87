import type { HttpAnswer, HttpRequest } from "@/server/adapters/http/http-request";
import { probeFailure } from "@/server/adapters/http/probe-get";

/** The smoke runner's one way out: an HTTP exchange on a fresh connection that never follows redirects. */
export type SmokeHttp = (req: HttpRequest) => Promise<HttpAnswer>;
export type { HttpAnswer, HttpRequest };

/** A header's first value, or "" when absent. */
export function header(res: HttpAnswer, name: string): string {
  const v = res.headers[name.toLowerCase()];
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

/** Every value of a repeated header (Set-Cookie). */
export function headerValues(res: HttpAnswer, name: string): string[] {
  const v = res.headers[name.toLowerCase()];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The media type of an answer ("image/png"), lower case; "" when missing or not shaped like one. */
export function mediaType(res: HttpAnswer): string {
  const t = header(res, "content-type").split(";")[0]!.trim().toLowerCase();
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(t) ? t : "";
}

/**
 * "answered 503 (application/json, 87 bytes)": everything an error may say about an answer.
 * Security: never the body, never a header value other than the media type, since a body can
 * echo the session cookie, a token or the password (a debug page, a proxy's error page).
 */
export function describeAnswer(res: HttpAnswer): string {
  const type = mediaType(res) || "no content type";
  const declared = header(res, "content-length");
  const size = /^\d+$/.test(declared) ? declared : res.truncated ? `more than ${res.body.length}` : String(res.body.length);
  return `answered ${res.status} (${type}, ${size} bytes)`;
}

/** The path a redirect points to, without its query (which may carry a message or a token). */
export function redirectPath(res: HttpAnswer): string | null {
  if (res.status < 300 || res.status >= 400) return null;
  const loc = header(res, "location");
  if (!loc) return null;
  try {
    return new URL(loc, "http://x.invalid").pathname;
  } catch {
    return null;
  }
}

/** "ECONNREFUSED", "no answer within 10000 ms", "aborted": why a request got no answer at all. */
export function transportFailure(err: unknown): string {
  return probeFailure(err);
}

/** The answer's body as JSON, or null when it is not JSON. */
export function jsonBody(res: HttpAnswer): unknown {
  if (res.truncated) return null;
  try {
    return JSON.parse(res.body.toString("utf8")) as unknown;
  } catch {
    return null;
  }
}

/** The real app's error code (`{"error":"conflict"}`), only when it is one of `known`: never echoed as is. */
export function knownErrorCode<T extends string>(res: HttpAnswer, known: readonly T[]): T | null {
  const code = (jsonBody(res) as { error?: unknown } | null)?.error;
  return typeof code === "string" && (known as readonly string[]).includes(code) ? (code as T) : null;
}
