import { isIP } from "node:net";

/**
 * Security: X-Forwarded-For is believed only when the operator says a proxy in front of the panel
 * sets it (PANEL_TRUST_PROXY=1). Read here and nowhere else.
 */
export function isProxyTrusted(): boolean {
  return process.env.PANEL_TRUST_PROXY === "1";
}

/** Shared bucket for requests whose address cannot be told (no header, or one we do not believe). */
export const UNKNOWN_ADDRESS = "unknown";

/**
 * The address a request came from, for sign-in throttling and a token's "last used from".
 *
 * Next.js hands route handlers and server actions no socket, only headers; it writes the TCP peer's
 * address into X-Forwarded-For itself, but only when the request carries none. So:
 * - behind a trusted proxy: the rightmost entry, the one the proxy added (the peer it saw);
 * - otherwise: a single entry (the peer as Next.js recorded it, or as a lone proxy set it); a
 *   longer chain came through something we were not told to trust, so it is not believed.
 * Security: a client that reaches the panel directly (not on 127.0.0.1, no proxy) can still name a
 * single address of its choosing; the per-account limits of sign-in do not depend on it. Run the
 * panel behind the proxy and set PANEL_TRUST_PROXY=1.
 */
export function clientAddress(headers: Headers): string {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return UNKNOWN_ADDRESS;
  if (!isProxyTrusted() && entries.length > 1) return UNKNOWN_ADDRESS;
  return normalizeAddress(entries[entries.length - 1]!) ?? UNKNOWN_ADDRESS;
}

/** "1.2.3.4", "::1", "[::1]:443", "1.2.3.4:5678", "::ffff:1.2.3.4" → the bare address; null if not an IP. */
export function normalizeAddress(value: string): string | null {
  let v = value.trim();
  if (v.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  if (/^::ffff:[\d.]+$/i.test(v)) v = v.slice(7);
  return isIP(v) ? v.toLowerCase() : null;
}
