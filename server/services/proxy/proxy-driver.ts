import { isAppError } from "@/server/errors";

/** What `adopt` did to put a proxy under the panel's control, and what it checked on the way. */
export interface AdoptReport {
  /** One human line per change made; empty when nothing was needed. */
  changes: string[];
  /** What was found and checked (for the operator's log), e.g. where the upstream lives. */
  findings: string[];
}

export interface SetUpstreamsOptions {
  /**
   * Compare-and-set: only switch when the proxy points at exactly these dials now (e.g. the old
   * container's port during a deploy); otherwise throw CONFLICT and change nothing.
   */
  expected?: readonly string[];
  /**
   * Receives a warning when live traffic was switched but a follow-up step was not (Caddy: the
   * Caddyfile could not be kept in step). Without it that case throws REMOTE_FAILED with
   * `data.isLiveSwitched: true`, see `liveUpstreamsOf`.
   */
  onWarning?: (message: string) => void;
}

/**
 * The reverse proxy in front of PixelFox, as the deploy and the health views use it. Two
 * implementations: Caddy (admin API, Caddyfile kept in step) and Nginx (upstream include, `nginx -t`,
 * graceful reload). Every method names the proxy and the host in its errors.
 */
export interface ProxyDriver {
  readonly kind: "caddy" | "nginx";
  /** For messages, e.g. "Caddy on app (Caddyfile /srv/caddy/Caddyfile)". */
  describe(): string;
  /** The dial addresses PixelFox's traffic goes to now, e.g. ["127.0.0.1:4000"]. */
  readUpstreams(): Promise<string[]>;
  /**
   * Point PixelFox's traffic at `dials`, gracefully (in-flight requests finish on the old ones), read
   * the result back and return it. CONFLICT when the proxy points elsewhere than `expected`
   * (nothing changed); REMOTE_FAILED when the change did not stick.
   */
  setUpstreams(dials: readonly string[], options?: SetUpstreamsOptions): Promise<string[]>;
  /**
   * Prepare a proxy laid out by the go-live plan's templates, that now sends PixelFox's traffic to
   * `currentDial`, for the panel's control, without restarting anything that serves traffic.
   */
  adopt(currentDial: string): Promise<AdoptReport>;
}

/**
 * The upstreams now live when `err` says the switch happened but a follow-up step failed (so the
 * caller must not undo what depends on the switch, e.g. remove the container now serving); else null.
 */
export function liveUpstreamsOf(err: unknown): string[] | null {
  if (!isAppError(err) || err.data?.isLiveSwitched !== true) return null;
  const upstreams = err.data.upstreams;
  return Array.isArray(upstreams) ? upstreams.map(String) : null;
}
