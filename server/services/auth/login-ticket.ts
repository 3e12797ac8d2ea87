import { randomBytes } from "node:crypto";
import { sha256Hex } from "@/server/crypto";

const TTL_MS = 60_000;
const KEY = Symbol.for("pixelfox.auth.login-tickets");

/** Kept on globalThis: the sign-in action and Auth.js's authorize may live in different bundles. */
function tickets(): Map<string, { userId: string; expiresAt: number }> {
  const g = globalThis as unknown as Record<symbol, Map<string, { userId: string; expiresAt: number }> | undefined>;
  g[KEY] ??= new Map();
  return g[KEY];
}

/**
 * A single-use ticket for a user who has just passed every sign-in check (password, second factor,
 * throttle). Security: Auth.js's credentials provider accepts only these, so its endpoint cannot be
 * used to skip the checks; a ticket lives a minute and only its hash is kept.
 */
export function issueLoginTicket(userId: string, now = Date.now()): string {
  const map = tickets();
  for (const [k, t] of map) if (t.expiresAt < now) map.delete(k);
  const ticket = randomBytes(32).toString("base64url");
  map.set(sha256Hex(ticket), { userId, expiresAt: now + TTL_MS });
  return ticket;
}

/** The user id a valid ticket was issued for (the ticket is used up), or null. */
export function redeemLoginTicket(ticket: string, now = Date.now()): string | null {
  const map = tickets();
  const k = sha256Hex(ticket);
  const t = map.get(k);
  map.delete(k);
  return t && t.expiresAt >= now ? t.userId : null;
}
