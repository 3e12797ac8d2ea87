export { BODY_LIMITS } from "./body-limits";

type RefusalCode = "FORBIDDEN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE";
const STATUS: Record<RefusalCode, 403 | 413 | 415> = { FORBIDDEN: 403, PAYLOAD_TOO_LARGE: 413, UNSUPPORTED_MEDIA_TYPE: 415 };

/** A request refused at the door (another site, a body too large, not JSON): answered before any auth or parsing. */
export class RequestRefusedError extends Error {
  readonly status: 403 | 413 | 415;
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "RequestRefusedError";
    this.status = STATUS[code];
  }
}

/** Also true for a copy of the class from another bundle (see isAppError). */
export function isRequestRefused(err: unknown): err is RequestRefusedError {
  return err instanceof Error && err.name === "RequestRefusedError" && typeof (err as { status?: unknown }).status === "number";
}

/** The REST API's error body `{ error: { code, message } }` for a refusal (error-response.ts maps it the same way). */
export function refusalResponse(err: RequestRefusedError): Response {
  // Security: after a 413 the connection is closed, so the rest of an oversized upload is not received.
  const headers = err.status === 413 ? { connection: "close" } : undefined;
  return Response.json({ error: { code: err.code, message: err.message } }, { status: err.status, headers });
}

export function isSafeMethod(method: string): boolean {
  return ["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
}

/** An API token and no cookie: a script or CI job, not a browser that a page could drive. */
export function isBearerOnly(headers: Headers): boolean {
  return /^bearer\s/i.test(headers.get("authorization") ?? "") && !headers.get("cookie");
}

function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/** Attacker-chosen text in a message: one short line. */
function quote(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}

/**
 * True when the browser itself vouches that the request comes from the panel's own origin:
 * `Sec-Fetch-Site: same-origin`, or an `Origin` equal to the panel's (scheme, host and port).
 */
export function isSameOrigin(headers: Headers, panelOrigin: string | null): boolean {
  if (headers.get("sec-fetch-site")?.trim().toLowerCase() === "same-origin") return true;
  const origin = headers.get("origin");
  return origin !== null && panelOrigin !== null && normalizeOrigin(origin.trim()) === panelOrigin;
}

/**
 * Why a request looks driven by another page (another port, a sibling subdomain, http vs https, a
 * sandboxed frame), or null when it may go on. Security: the same rules as Go's CrossOriginProtection.
 * Sec-Fetch-Site, which no page can forge, decides when present (`same-origin`, or `none` for what the
 * user typed or bookmarked); for reads it is the only signal, as browsers send no Origin on GET.
 * Without it an unsafe method's Origin must be the panel's. A request with neither header is no
 * browser's (every current browser sends one of them on a POST): a CLI or a test client, allowed,
 * and so is an API token without cookies.
 */
export function describeCrossSiteRequest(req: { method: string; headers: Headers }, panelOrigin: string | null): string | null {
  const { headers } = req;
  if (isBearerOnly(headers)) return null;
  const site = headers.get("sec-fetch-site")?.trim().toLowerCase();
  if (site) {
    if (site === "same-origin" || site === "none") return null;
    return `Sec-Fetch-Site is ${quote(site)}: the request came from a page of another site, port or scheme`;
  }
  if (isSafeMethod(req.method)) return null;
  const origin = headers.get("origin")?.trim();
  if (origin === undefined) return null;
  if (origin === "null") return 'Origin is "null": the request came from a sandboxed frame, a file or a redirect from another site';
  if (!panelOrigin) return "the panel cannot tell its own origin (no Host header): set PANEL_URL";
  if (isSameOrigin(headers, panelOrigin)) return null;
  return `Origin ${quote(origin)} is not the panel's own ${panelOrigin}`;
}

/** Throws 403 for a request that another page drove (see describeCrossSiteRequest). */
export function assertNotCrossSite(req: { method: string; headers: Headers }, panelOrigin: string | null): void {
  const reason = describeCrossSiteRequest(req, panelOrigin);
  if (reason) {
    throw new RequestRefusedError(
      "FORBIDDEN",
      `Cross-site request refused: ${reason}. Use the panel's own pages, or an API token (Authorization: Bearer …) without cookies.`,
    );
  }
}

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
export function isJsonContentType(value: string | null): boolean {
  return value?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/** Throws 415 unless the body is declared JSON. Security: a cross-site form can only send form or text types. */
export function requireJsonContentType(headers: Headers): void {
  const type = headers.get("content-type");
  if (isJsonContentType(type)) return;
  throw new RequestRefusedError(
    "UNSUPPORTED_MEDIA_TYPE",
    `The body must be JSON sent as Content-Type: application/json; this request has ${type ? quote(type) : "no Content-Type"}`,
  );
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

function tooLarge(maxBytes: number, declared?: number): RequestRefusedError {
  const size = declared === undefined ? "is larger than" : `is ${formatBytes(declared)}, over`;
  return new RequestRefusedError("PAYLOAD_TOO_LARGE", `Request body ${size} the ${formatBytes(maxBytes)} this endpoint accepts`);
}

/** Throws 413 when the declared Content-Length is over the limit, before a byte of the body is read. */
export function checkContentLength(headers: Headers, maxBytes: number): void {
  const declared = Number(headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes, declared);
}

/**
 * Reads a body of at most `maxBytes`. Security: a declared Content-Length over the limit is refused
 * unread, and a chunked body is read only until it crosses the limit; the rest is never pulled, so
 * memory stays bounded by the limit whatever the client sends.
 */
export async function readBodyWithLimit(req: { headers: Headers; body: ReadableStream<Uint8Array> | null }, maxBytes: number) {
  checkContentLength(req.headers, maxBytes);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(value);
    }
  } finally {
    // Not cancel(): that would destroy the socket before the 413 is written.
    reader.releaseLock();
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

export interface GuardPolicy {
  /** The largest body accepted (see BODY_LIMITS). */
  maxBytes: number;
  /** The handler reads JSON: a body of another type is refused with 415. */
  isJson: boolean;
  /** The panel's own origin (resolvePanelOrigin). */
  panelOrigin: string | null;
}

/**
 * Every check a route does before it authenticates or parses: the request is the panel's own (or an API
 * token's), and a body is JSON when JSON is read and within its limit. Returns a request whose body is
 * the bytes already read (at most maxBytes), for the handler to parse as usual. Throws RequestRefusedError.
 */
export async function guardRequest(req: Request, policy: GuardPolicy): Promise<Request> {
  assertNotCrossSite(req, policy.panelOrigin);
  if (req.method === "GET" || req.method === "HEAD") return req;
  if (policy.isJson) requireJsonContentType(req.headers);
  const body = await readBodyWithLimit(req, policy.maxBytes);
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
}
