import { randomUUID } from "node:crypto";
import type { OpenLogSource } from "./docker-log-source";
import { formatCaddyLine } from "./caddy-format";
import { compileFilter } from "./filter";
import { LogSession } from "./log-session";
import type { TLogStreamQuery } from "./query";

/** A follow stream with a tail up to this many lines is shared; its ring replays the tail to late joiners. */
export const MAX_SHARED_TAIL = 5_000;

const HUB_KEY = Symbol.for("pixelfox.logHub");

interface PendingSession {
  session: LogSession;
  ready: Promise<void>;
}

/** Live sessions by key (kept on globalThis so Next.js dev reloads share it). */
function sessions(): Map<string, PendingSession> {
  const store = globalThis as unknown as Record<symbol, Map<string, PendingSession> | undefined>;
  store[HUB_KEY] ??= new Map();
  return store[HUB_KEY];
}

/**
 * Sharing key: viewers asking for the same host, container and options get one remote stream.
 * Only follow streams with a bounded tail are shared (a one-off window is cheap and has an end).
 */
export function shareKey(hostId: string, query: TLogStreamQuery): string | undefined {
  if (!query.follow || query.tail === "all" || query.tail > MAX_SHARED_TAIL) return undefined;
  const { tail, since, until, stdout, stderr, timestamps, q, regex, source } = query;
  return JSON.stringify([hostId, query.container, tail, since, until, stdout, stderr, timestamps, q ?? "", regex, source]);
}

/**
 * A viewer's NDJSON stream for `query`, joining a live shared session when one matches.
 * Throws (before any byte is sent) when the pattern is refused or the container cannot be read.
 */
export async function openSharedLogStream(
  hostId: string,
  query: TLogStreamQuery,
  openSource: OpenLogSource,
  signal?: AbortSignal,
  isRunning?: () => Promise<boolean>,
): Promise<ReadableStream<Uint8Array>> {
  const filter = query.q ? compileFilter(query.q, query.regex) : undefined;
  const key = shareKey(hostId, query) ?? `solo:${randomUUID()}`;
  const map = sessions();
  let entry = map.get(key);
  if (!entry) {
    const session = new LogSession({
      request: {
        tail: query.tail,
        since: query.since,
        until: query.until,
        follow: query.follow,
        stdout: query.stdout,
        stderr: query.stderr,
        timestamps: query.timestamps,
      },
      filter,
      transform: query.source === "proxy" ? formatCaddyLine : undefined,
      ringCapacity: key.startsWith("solo:") ? 0 : (query.tail as number),
      // A follow stream outlives a lost connection: reopened where it stopped while the container runs.
      resume: isRunning ? { isRunning } : undefined,
      onClosed: () => {
        if (map.get(key)?.session === session) map.delete(key);
      },
    });
    const created: PendingSession = { session, ready: session.open(openSource) };
    entry = created;
    map.set(key, created);
    created.ready.catch(() => {
      if (map.get(key) === created) map.delete(key);
    });
  }
  await entry.ready;
  return entry.session.attach(signal);
}

/** How many viewers each live session has (for tests and the bench). */
export function listLogSessions(): { key: string; viewers: number }[] {
  return [...sessions()].map(([key, e]) => ({ key, viewers: e.session.viewerCount }));
}
