/** The log view's settings, as carried in the URL so a view can be shared. */
export interface LogViewParams {
  host: string;
  container: string;
  tail: string;
  since: string;
  until: string;
  q: string;
  isRegex: boolean;
  isFollowing: boolean;
  hasStdout: boolean;
  hasStderr: boolean;
  hasTimestamps: boolean;
  isWrapped: boolean;
}

const FLAGS = { isRegex: ["regex", false], isFollowing: ["follow", true], hasStdout: ["stdout", true], hasStderr: ["stderr", true], hasTimestamps: ["timestamps", false], isWrapped: ["wrap", false] } as const;
const TEXTS = { host: "host", container: "container", tail: "tail", since: "since", until: "until", q: "q" } as const;

/** Reads the view from the query string, with the defaults for anything missing. */
export function readLogViewParams(params: URLSearchParams): LogViewParams {
  const view = {} as Record<string, string | boolean>;
  for (const [key, name] of Object.entries(TEXTS)) view[key] = params.get(name) ?? (key === "tail" ? "1000" : "");
  for (const [key, [name, fallback]] of Object.entries(FLAGS)) {
    const v = params.get(name);
    view[key] = v === null ? fallback : v === "1" || v === "true";
  }
  return view as unknown as LogViewParams;
}

/** The query string for a view (defaults left out, so links stay short). */
export function writeLogViewParams(view: LogViewParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, name] of Object.entries(TEXTS)) {
    const v = view[key as keyof typeof TEXTS];
    if (v && !(key === "tail" && v === "1000")) out.set(name, v);
  }
  for (const [key, [name, fallback]] of Object.entries(FLAGS)) {
    const v = view[key as keyof typeof FLAGS];
    if (v !== fallback) out.set(name, v ? "1" : "0");
  }
  return out;
}

/** The API URL of the NDJSON stream for a view, or null until a host and container are chosen. */
export function buildStreamUrl(view: LogViewParams): string | null {
  if (!view.host || !view.container) return null;
  const p = new URLSearchParams({
    host: view.host, container: view.container, tail: view.tail || "1000",
    follow: view.isFollowing ? "1" : "0", stdout: view.hasStdout ? "1" : "0", stderr: view.hasStderr ? "1" : "0",
    timestamps: view.hasTimestamps ? "1" : "0", regex: view.isRegex ? "1" : "0",
  });
  if (view.since) p.set("since", view.since);
  if (view.until) p.set("until", view.until);
  if (view.q) p.set("q", view.q);
  return `/api/logs/stream?${p}`;
}

/** The download URL for a view's container and time range. */
export function buildDownloadUrl(view: LogViewParams, isGzip: boolean): string {
  const p = new URLSearchParams({ host: view.host, container: view.container });
  if (view.since) p.set("since", view.since);
  if (view.until) p.set("until", view.until);
  if (isGzip) p.set("gzip", "1");
  return `/api/logs/download?${p}`;
}
