import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";

/** Log views one caller may hold open on one host (equal to the pool's log-stream channels per host). */
export const MAX_STREAMS_PER_HOST = 3;
/** Log views one caller may hold open across all hosts. */
export const MAX_STREAMS_PER_VIEWER = 6;

const QUOTA_KEY = Symbol.for("pixelfox.logStreamQuota");

/** The host a log view reads from, as the quota names it. */
export interface QuotaHost {
  hostId: string;
  name: string;
}

/**
 * Counts the log views (container logs, slow log, downloads) each caller holds open, per host and
 * in all, and refuses one more at once instead of letting it queue for a channel. Viewers of a
 * shared stream each count here, though they share one SSH channel (the pool counts channels).
 */
export class LogStreamQuota {
  private readonly open = new Map<string, Map<string, number>>();

  constructor(
    readonly perHost = MAX_STREAMS_PER_HOST,
    readonly perViewer = MAX_STREAMS_PER_VIEWER,
  ) {}

  /** How many views `viewer` holds open, on `hostId` or in all. */
  count(viewer: string, hostId?: string): number {
    const hosts = this.open.get(viewer);
    if (!hosts) return 0;
    if (hostId !== undefined) return hosts.get(hostId) ?? 0;
    let total = 0;
    for (const n of hosts.values()) total += n;
    return total;
  }

  /** Claims one view; throws CONFLICT (nothing held) when a cap is reached. The release is safe to call twice. */
  claim(viewer: string, host: QuotaHost): () => void {
    const onHost = this.count(viewer, host.hostId);
    if (onHost >= this.perHost) {
      throw limitError(`You have ${onHost} log streams open on ${host.name}; close one first.`, host, this.perHost, "host");
    }
    const total = this.count(viewer);
    if (total >= this.perViewer) {
      throw limitError(`You have ${total} log streams open across all hosts; close one first.`, host, this.perViewer, "viewer");
    }
    const hosts = this.open.get(viewer) ?? new Map<string, number>();
    hosts.set(host.hostId, onHost + 1);
    this.open.set(viewer, hosts);
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const left = (hosts.get(host.hostId) ?? 1) - 1;
      if (left > 0) hosts.set(host.hostId, left);
      else hosts.delete(host.hostId);
      if (hosts.size === 0 && this.open.get(viewer) === hosts) this.open.delete(viewer);
    };
  }
}

function limitError(message: string, host: QuotaHost, limit: number, scope: "host" | "viewer"): AppError {
  return new AppError("CONFLICT", message, {
    host: host.name,
    action: "open a log stream",
    data: { reason: "log-stream-limit", scope, limit },
  });
}

/**
 * Who a log view is counted against. Security: an API token is its own caller (it has no user
 * here), so a user with a token can hold the caps twice; both are still bounded.
 */
export function viewerKeyOf(actor: Actor): string {
  return `${actor.kind}:${actor.id ?? actor.label}`;
}

/** The process-wide quota (kept on globalThis so Next.js dev reloads share it). */
export function getLogStreamQuota(): LogStreamQuota {
  const store = globalThis as unknown as Record<symbol, LogStreamQuota | undefined>;
  store[QUOTA_KEY] ??= new LogStreamQuota();
  return store[QUOTA_KEY];
}

/**
 * Opens a log view with a claim on the quota held for as long as the viewer's body lives: given
 * back when it ends, fails, is cancelled or the request is aborted, or when opening throws.
 */
export async function openCountedStream(
  quota: LogStreamQuota,
  viewer: string,
  host: QuotaHost,
  open: () => Promise<ReadableStream<Uint8Array>>,
  signal?: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const release = quota.claim(viewer, host);
  try {
    return releaseWhenDone(await open(), release, signal);
  } catch (err) {
    release();
    throw err;
  }
}

/** Passes `inner` through unchanged (read on demand, so backpressure holds) and calls `release` once it is over. */
export function releaseWhenDone(inner: ReadableStream<Uint8Array>, release: () => void, signal?: AbortSignal): ReadableStream<Uint8Array> {
  const reader = inner.getReader();
  const onAbort = () => {
    release();
    reader.cancel(signal?.reason).catch(() => undefined);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const finish = () => {
    signal?.removeEventListener("abort", onAbort);
    release();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            finish();
            controller.close();
          } else controller.enqueue(value);
        } catch (err) {
          finish();
          controller.error(err);
        }
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
