import { headerValues, transportFailure, type HttpAnswer, type HttpRequest, type SmokeHttp } from "./http";

export interface SmokeRequest {
  method: HttpRequest["method"];
  /** A path on the public URL ("/login") or an absolute URL (a thumbnail on the public origin or a storage node). */
  target: string;
  headers?: Record<string, string>;
  body?: Buffer;
  timeoutMs?: number;
  maxBodyBytes?: number;
  /** Send no cookie (a visitor fetching a public file). */
  anonymous?: boolean;
  /** Still sent after the run was cancelled (cleanup). */
  evenIfCancelled?: boolean;
}

/** A request that got no answer at all; the message names the URL and the reason (ECONNREFUSED, a timeout). */
export class NoAnswerError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`no answer from ${url}: ${reason}`);
    this.name = "NoAnswerError";
  }
}

/**
 * One smoke run's HTTP client: the public URL as base, a per-request timeout, and the cookies the
 * app set during this run (its session cookie), kept only in memory and only for this run.
 */
export interface SmokeSession {
  readonly base: URL;
  send(req: SmokeRequest): Promise<HttpAnswer & { url: string }>;
  /** The CSRF field the real app's forms need (`_csrf` = its `csrf_` cookie), or nothing when it set none. */
  csrfFields(): Record<string, string>;
  /** Every cookie value seen: they are secrets to redact from any text the run produces. */
  secrets(): string[];
}

// The real app's fiber csrf middleware: cookie `csrf_`, checked against form field `_csrf` (double submit).
const CSRF_COOKIE = "csrf_";
const CSRF_FIELD = "_csrf";

export function createSmokeSession(http: SmokeHttp, baseUrl: string, opts: { timeoutMs: number; signal?: AbortSignal }): SmokeSession {
  const base = new URL(baseUrl.replace(/\/+$/, "") + "/");
  const jar = new Map<string, string>();
  const seen = new Set<string>();
  return {
    base,
    async send(req) {
      const url = resolveTarget(base, req.target);
      const headers: Record<string, string> = { ...req.headers };
      // Security: the session cookie goes back only to the origin that set it (the public URL), never
      // to a thumbnail URL on another host that the app's answer named.
      const sameOrigin = new URL(url).origin === base.origin;
      if (sameOrigin && !req.anonymous && jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
      let res: HttpAnswer;
      try {
        res = await http({
          method: req.method,
          url,
          headers,
          body: req.body,
          timeoutMs: req.timeoutMs ?? opts.timeoutMs,
          maxBodyBytes: req.maxBodyBytes,
          signal: req.evenIfCancelled ? undefined : opts.signal,
        });
      } catch (err) {
        throw new NoAnswerError(displayUrl(url), transportFailure(err));
      }
      if (sameOrigin) keepCookies(jar, seen, headerValues(res, "set-cookie"));
      return { ...res, url };
    },
    csrfFields: () => {
      const token = jar.get(CSRF_COOKIE);
      const fields: Record<string, string> = {};
      if (token) fields[CSRF_FIELD] = token;
      return fields;
    },
    secrets: () => [...seen],
  };
}

/** A path is joined to the public URL's path (PUBLIC_DOMAIN may carry one); an absolute URL is kept. */
export function resolveTarget(base: URL, target: string): string {
  if (/^https?:\/\//i.test(target)) return new URL(target).toString();
  return new URL(target.replace(/^\/+/, ""), base).toString();
}

function keepCookies(jar: Map<string, string>, seen: Set<string>, setCookies: string[]): void {
  for (const line of setCookies) {
    const [pair, ...attrs] = line.split(";");
    const eq = pair!.indexOf("=");
    if (eq <= 0) continue;
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const expired = attrs.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a));
    if (value) seen.add(value);
    if (!value || expired) jar.delete(name);
    else jar.set(name, value);
  }
}

/** A URL as the evidence shows it: no query, no user info. */
export function displayUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/** An application/x-www-form-urlencoded body, answered as JSON by apps that can (the stand-in), by redirects otherwise. */
export function formRequest(fields: Record<string, string>): { headers: Record<string, string>; body: Buffer } {
  return {
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: Buffer.from(new URLSearchParams(fields).toString()),
  };
}
