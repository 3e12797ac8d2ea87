import { ADMIN_TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, type TokenScope, ZTokenScope } from "@/server/domain/accounts";
import type { Role } from "@/server/domain/roles";
import { hasRole, isRole } from "@/server/domain/roles";
import { AppError } from "@/server/errors";

const DAY_MS = 24 * 60 * 60_000;

/** How a token was made: by a signed-in user (capped by them) or by the operator's CLI (a system token). */
export type TokenOrigin = "panel" | "cli";

export function lowerRole(a: Role, b: Role): Role {
  return hasRole(a, b) ? b : a;
}

/**
 * The role a token acts with now, or null when it may not act at all. Security: computed at each
 * request from the creator's current role, so demoting the creator caps their tokens at once; a
 * panel token whose creator is gone acts with nothing (deleting a user also revokes them, this is
 * the second lock). A CLI token has no creator: it is a system token, capped by its own role only.
 */
export function effectiveTokenRole(row: { role: string; createdVia: string; createdBy: { role: string } | null }): Role | null {
  if (!isRole(row.role)) return null;
  if (row.createdVia === "cli") return row.role;
  if (!row.createdBy) return null;
  return lowerRole(row.role, isRole(row.createdBy.role) ? row.createdBy.role : "VIEWER");
}

/**
 * When a new token expires. `days` omitted: 90 days for an ADMIN-role token, never for the others;
 * null: never, which an ADMIN-role token may not have (a leaked admin token must die by itself).
 */
export function expiryFor(role: Role, days: number | null | undefined, now = Date.now()): Date | null {
  if (days === undefined) return role === "ADMIN" ? new Date(now + ADMIN_TOKEN_DEFAULT_DAYS * DAY_MS) : null;
  if (days === null) {
    if (role === "ADMIN")
      throw new AppError("BAD_REQUEST", `Admin-role tokens must expire: choose at most ${TOKEN_MAX_DAYS} days`, {
        data: { field: "expiresInDays" },
      });
    return null;
  }
  return new Date(now + days * DAY_MS);
}

/** The stored scope, or null for none; an unreadable scope refuses everything (it never widens to "none"). */
export function parseScope(stored: string | null): TokenScope | null {
  if (stored === null) return null;
  try {
    const parsed = ZTokenScope.safeParse(JSON.parse(stored));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  return { stackId: "invalid", stack: "(unreadable scope)", actions: ["deploy"] };
}

/** "deploys of stack pixelfox" */
export function describeScope(scope: TokenScope): string {
  return `deploys of stack ${scope.stack}`;
}
