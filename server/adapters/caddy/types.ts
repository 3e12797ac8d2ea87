import type { SshPool } from "@/server/adapters/ssh/pool";
import type { SshTarget } from "@/server/adapters/ssh/types";

/** Which host's Caddy to talk to, and how. Shared by every Caddy adapter function. */
export interface CaddyOptions {
  /** The host running Caddy; its admin API is reached through an SSH tunnel to its loopback. */
  target: SshTarget;
  /** Admin API port on the host's 127.0.0.1 (default 2019). */
  adminPort?: number;
  /** `@id` of the reverse_proxy handler that serves PixelFox (default "pixelfox_upstream"). */
  upstreamId?: string;
  /** Caddy's container, for messages (default "pxlfox-proxy"). */
  containerName?: string;
  /** Talk to this base URL instead of opening a tunnel (unit tests with a fake admin API). */
  adminUrl?: string;
  pool?: SshPool;
  /** Per-request timeout (default 10 s); longer throws HOST_TIMEOUT. */
  timeoutMs?: number;
}

/** One upstream as Caddy's reverse proxy sees it (`GET /reverse_proxy/upstreams`). */
export interface UpstreamHealth {
  /** Dial address, e.g. "127.0.0.1:4000". */
  address: string;
  /** Requests in flight to this upstream right now. */
  numRequests: number;
  /** Recent failed requests (passive health checks). */
  fails: number;
}
