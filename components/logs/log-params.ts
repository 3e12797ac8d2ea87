/** What the viewer reads: a container, its Caddy access log made readable, a job, or MySQL's slow log. */
export const LOG_VIEW_SOURCES = ["container", "job", "proxy", "mysql-slow"] as const;
export type LogViewSource = (typeof LOG_VIEW_SOURCES)[number];

/** The log view's settings, as carried in the URL so a view can be shared. */
export interface LogViewParams {
  source: LogViewSource;
  job: string;
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

const FLAGS = {
  isRegex: ["regex", false],
  isFollowing: ["follow", true],
  hasStdout: ["stdout", true],
  hasStderr: ["stderr", true],
  hasTimestamps: ["timestamps", false],
  isWrapped: ["wrap", false],
} as const;
const TEXTS = { job: "job", host: "host", container: "container", tail: "tail", since: "since", until: "until", q: "q" } as const;

/** Reads the view from the query string, with the defaults for anything missing. */
export function readLogViewParams(params: URLSearchParams): LogViewParams {
  const view = {} as Record<string, string | boolean>;
  for (const [key, name] of Object.entries(TEXTS)) view[key] = params.get(name) ?? (key === "tail" ? "1000" : "");
  for (const [key, [name, fallback]] of Object.entries(FLAGS)) {
    const v = params.get(name);
    view[key] = v === null ? fallback : v === "1" || v === "true";
  }
  const source = params.get("source");
  view.source = (LOG_VIEW_SOURCES as readonly string[]).includes(source ?? "") ? (source as LogViewSource) : view.job ? "job" : "container";
  return view as unknown as LogViewParams;
}

/** The query string for a view (defaults left out, so links stay short). */
export function writeLogViewParams(view: LogViewParams): URLSearchParams {
  const out = new URLSearchParams();
  if (view.source !== "container" && !(view.source === "job" && view.job)) out.set("source", view.source);
  for (const [key, name] of Object.entries(TEXTS)) {
    const v = view[key as keyof typeof TEXTS];
    const isOtherSource = view.source === "job" ? key === "host" || key === "container" : key === "job";
    if (v && !isOtherSource && !(key === "tail" && v === "1000")) out.set(name, v);
  }
  for (const [key, [name, fallback]] of Object.entries(FLAGS)) {
    const v = view[key as keyof typeof FLAGS];
    if (v !== fallback) out.set(name, v ? "1" : "0");
  }
  return out;
}

/** True once the view names what to read (a job, or a host and container). */
export function isViewComplete(view: LogViewParams): boolean {
  return view.source === "job" ? Boolean(view.job) : Boolean(view.host && view.container);
}

/** The API URL of the NDJSON stream for a view, or null until it names what to read. */
export function buildStreamUrl(view: LogViewParams): string | null {
  if (!isViewComplete(view)) return null;
  const common = { tail: view.tail || "1000", follow: view.isFollowing ? "1" : "0", regex: view.isRegex ? "1" : "0" };
  if (view.source === "job" || view.source === "mysql-slow") {
    const p = new URLSearchParams(
      view.source === "job"
        ? { source: "job", job: view.job, ...common }
        : { source: "mysql-slow", host: view.host, container: view.container, ...common },
    );
    if (view.source === "job") {
      p.set("stdout", view.hasStdout ? "1" : "0");
      p.set("stderr", view.hasStderr ? "1" : "0");
      p.set("timestamps", view.hasTimestamps ? "1" : "0");
    }
    if (view.q) p.set("q", view.q);
    return `/api/logs/stream?${p}`;
  }
  const p = new URLSearchParams({
    host: view.host,
    container: view.container,
    tail: view.tail || "1000",
    follow: view.isFollowing ? "1" : "0",
    stdout: view.hasStdout ? "1" : "0",
    stderr: view.hasStderr ? "1" : "0",
    timestamps: view.hasTimestamps ? "1" : "0",
    regex: view.isRegex ? "1" : "0",
  });
  if (view.since) p.set("since", view.since);
  if (view.until) p.set("until", view.until);
  if (view.q) p.set("q", view.q);
  if (view.source === "proxy") p.set("source", "proxy");
  return `/api/logs/stream?${p}`;
}

/** The download URL for a view (a job's whole log, or a container's time range); null for the slow log. */
export function buildDownloadUrl(view: LogViewParams, isGzip: boolean): string | null {
  if (view.source === "job") return isGzip ? null : `/api/jobs/${encodeURIComponent(view.job)}/log`;
  if (view.source === "mysql-slow") return null;
  const p = new URLSearchParams({ host: view.host, container: view.container });
  if (view.since) p.set("since", view.since);
  if (view.until) p.set("until", view.until);
  if (isGzip) p.set("gzip", "1");
  return `/api/logs/download?${p}`;
}
