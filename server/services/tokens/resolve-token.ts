import { db } from "@/server/db";
import { sha256Hex } from "@/server/crypto";
import type { Actor } from "@/server/services/auth/actor";
import { TOKEN_PREFIX } from "./api-tokens";
import { effectiveTokenRole, parseScope } from "./token-policy";

/** "Last used" is written at most this often per token: not a store write per API request. */
export const LAST_USED_EVERY_MS = 60_000;

export type TokenResolution = { ok: true; actor: Actor } | { ok: false; reason: string };

const NEW_TOKEN_HINT = "create a new one under Settings → API tokens";

/**
 * Resolves a bearer token to an actor, or says why it cannot act (unknown, revoked, expired, its
 * creator deleted). The reason is for the caller who holds the token, so it may name the token.
 */
export async function resolveApiToken(token: string, address: string, now = Date.now()): Promise<TokenResolution> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200)
    return { ok: false, reason: "Not a PixelFox Ops API token (they start with pxf_)" };
  const row = await db.apiToken.findUnique({
    where: { tokenHash: sha256Hex(token) },
    include: { createdBy: { select: { role: true } } },
  });
  if (!row) return { ok: false, reason: `Unknown API token: check that it was copied whole, or ${NEW_TOKEN_HINT}` };
  if (row.revokedAt) return { ok: false, reason: `API token ${row.name} was revoked on ${row.revokedAt.toISOString()}` };
  if (row.expiresAt && row.expiresAt.getTime() <= now)
    return { ok: false, reason: `API token ${row.name} expired on ${row.expiresAt.toISOString()}: ${NEW_TOKEN_HINT}` };
  const role = effectiveTokenRole(row);
  if (!role) return { ok: false, reason: `API token ${row.name} no longer has a creator with a role: ${NEW_TOKEN_HINT}` };
  // Best effort: a store that cannot take the write (a full disk) must not lock the token out of reading.
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_EVERY_MS)
    await recordUse(row.id, address, now).catch((err: unknown) => console.error(`[tokens] could not record the use of ${row.name}:`, err));
  return { ok: true, actor: { kind: "token", id: row.id, label: `token:${row.name}`, role, scope: parseScope(row.scope) } };
}

/** One conditional write: of parallel first requests in the same minute, only one updates the row. */
async function recordUse(id: string, address: string, now: number): Promise<void> {
  await db.apiToken.updateMany({
    where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(now - LAST_USED_EVERY_MS) } }] },
    data: { lastUsedAt: new Date(now), lastUsedFrom: address },
  });
}
