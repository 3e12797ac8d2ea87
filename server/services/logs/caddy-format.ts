import type { RawLine } from "./line-splitter";

/** The fields of a Caddy JSON access-log entry the viewer shows. */
interface CaddyEntry {
  level?: string;
  ts?: number;
  logger?: string;
  msg?: string;
  status?: number;
  duration?: number;
  size?: number;
  request?: { method?: string; uri?: string; host?: string; remote_ip?: string; client_ip?: string; proto?: string };
  method?: string;
  uri?: string;
}

/** Seconds (Caddy's default duration encoding) as a short human figure. */
function formatDuration(seconds: number): string {
  if (seconds < 1) return `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)} ms`;
  return `${seconds.toFixed(2)} s`;
}

/**
 * Caddy's JSON log line made readable: an access entry becomes "GET /path 404 0.48 ms (…)" and
 * counts as an error (stream "stderr", the viewer's error colour) only for status ≥ 500; Caddy's own
 * entries become "level logger: msg". Anything that is not Caddy JSON passes through unchanged.
 */
export function formatCaddyLine(line: RawLine): RawLine {
  const text = line.text.trimStart();
  if (!text.startsWith("{")) return line;
  let entry: CaddyEntry;
  try {
    entry = JSON.parse(text) as CaddyEntry;
  } catch {
    return line;
  }
  if (typeof entry !== "object" || entry === null) return line;
  const ts = line.ts ?? (typeof entry.ts === "number" ? new Date(entry.ts * 1000).toISOString() : undefined);
  const req = entry.request;
  if (req && typeof entry.status === "number") {
    const details = [
      req.host && `host ${req.host}`,
      (req.client_ip ?? req.remote_ip) && `from ${req.client_ip ?? req.remote_ip}`,
      typeof entry.size === "number" && `${entry.size} B`,
    ].filter(Boolean);
    const duration = typeof entry.duration === "number" ? ` ${formatDuration(entry.duration)}` : "";
    return {
      stream: entry.status >= 500 ? "stderr" : "stdout",
      ts,
      text: `${req.method ?? "?"} ${req.uri ?? "?"} ${entry.status}${duration}${details.length ? ` (${details.join(", ")})` : ""}`,
    };
  }
  const level = entry.level ?? "info";
  const where = entry.method || entry.uri ? ` ${entry.method ?? ""} ${entry.uri ?? ""}`.trimEnd() : "";
  return {
    stream: level === "error" || level === "fatal" || level === "panic" ? "stderr" : "stdout",
    ts,
    text: `${level} ${entry.logger ?? "caddy"}: ${entry.msg ?? ""}${where}`,
  };
}
