import { randomBytes } from "node:crypto";
import { db } from "@/server/db";
import { sha256Hex } from "@/server/crypto";
import type { TokenScope } from "@/server/domain/accounts";
import { AppError, isAppError } from "@/server/errors";
import type { Role } from "@/server/domain/roles";
import { hasRole, isRole } from "@/server/domain/roles";
import { getStackRow } from "@/server/services/inventory/stacks";
import { describeScope, effectiveTokenRole, expiryFor, parseScope, type TokenOrigin } from "./token-policy";

export const TOKEN_PREFIX = "pxf_";

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  /** The role it was created with. */
  role: Role;
  /** The role it acts with now (capped by its creator's current role); null when it cannot act. */
  effectiveRole: Role | null;
  /** Set when the creator's role is lower than the token's: it acts as this. */
  cappedTo: Role | null;
  origin: TokenOrigin;
  /** The creator's email, "system (CLI)" or "deleted user". */
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  scope: TokenScope | null;
  /** "deploys of stack pixelfox" */
  scopeLabel: string | null;
  lastUsedAt: Date | null;
  lastUsedFrom: string | null;
  revokedAt: Date | null;
  status: "active" | "expired" | "revoked";
}

export interface CreateApiTokenInput {
  name: string;
  role: Role;
  /** null: made by the CLI (a system token, capped by its own role only). */
  createdById: string | null;
  /** Omitted: the default (90 days for ADMIN, never for the others); null: never. */
  expiresInDays?: number | null;
  /** Limit the token to the deploy routes of this stack (name or id). */
  stack?: string | null;
}

/** Creates a token and returns it once in clear; only its sha256 is stored. */
export async function createApiToken(input: CreateApiTokenInput, now = Date.now()) {
  const expiresAt = expiryFor(input.role, input.expiresInDays, now);
  if (input.createdById) await assertCreatorMayGrant(input.createdById, input.role);
  const scope = input.stack ? await scopeForStack(input.stack, input.role) : null;
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const row = await db.apiToken.create({
    data: {
      name: input.name,
      role: input.role,
      tokenHash: sha256Hex(token),
      prefix: token.slice(0, 10),
      createdVia: input.createdById ? "panel" : "cli",
      createdById: input.createdById,
      expiresAt,
      scope: scope ? JSON.stringify(scope) : null,
    },
    include: { createdBy: { select: { email: true, role: true } } },
  });
  return { token, view: toView(row, now) };
}

/** Security: a token never carries more than its creator has (it is capped again at every request). */
async function assertCreatorMayGrant(userId: string, role: Role): Promise<void> {
  const creator = await db.user.findUnique({ where: { id: userId }, select: { role: true } });
  if (!creator || !isRole(creator.role)) throw new AppError("FORBIDDEN", "Only a signed-in user can create a token");
  if (!hasRole(creator.role, role))
    throw new AppError("FORBIDDEN", `A token's role cannot be above yours (${creator.role})`, { data: { field: "role" } });
}

async function scopeForStack(ref: string, role: Role): Promise<TokenScope> {
  if (!hasRole(role, "DEPLOYER"))
    throw new AppError("BAD_REQUEST", "A token limited to deploys needs the DEPLOYER role", { data: { field: "role" } });
  try {
    const stack = await getStackRow(ref);
    return { stackId: stack.id, stack: stack.name, actions: ["deploy"] };
  } catch (err) {
    if (isAppError(err) && err.code === "NOT_FOUND") throw new AppError("BAD_REQUEST", `No stack ${ref}`, { data: { field: "stack" } });
    throw err;
  }
}

export async function listApiTokens(now = Date.now()): Promise<ApiTokenView[]> {
  const rows = await db.apiToken.findMany({
    orderBy: { createdAt: "desc" },
    include: { createdBy: { select: { email: true, role: true } } },
  });
  return rows.map((r) => toView(r, now));
}

export async function revokeApiToken(id: string): Promise<ApiTokenView> {
  const row = await db.apiToken.findUnique({ where: { id } });
  if (!row) throw new AppError("NOT_FOUND", "API token not found");
  const updated = await db.apiToken.update({
    where: { id },
    data: { revokedAt: row.revokedAt ?? new Date() },
    include: { createdBy: { select: { email: true, role: true } } },
  });
  return toView(updated);
}

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdVia: string;
  createdBy: { email: string; role: string } | null;
  createdAt: Date;
  expiresAt: Date | null;
  scope: string | null;
  lastUsedAt: Date | null;
  lastUsedFrom: string | null;
  revokedAt: Date | null;
}

function toView(r: TokenRow, now = Date.now()): ApiTokenView {
  const role = isRole(r.role) ? r.role : "VIEWER";
  const effectiveRole = effectiveTokenRole(r);
  const origin: TokenOrigin = r.createdVia === "cli" ? "cli" : "panel";
  const scope = parseScope(r.scope);
  const isExpired = r.expiresAt !== null && r.expiresAt.getTime() <= now;
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    role,
    effectiveRole,
    cappedTo: effectiveRole && effectiveRole !== role ? effectiveRole : null,
    origin,
    createdBy: origin === "cli" ? "system (CLI)" : (r.createdBy?.email ?? "deleted user"),
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    scope,
    scopeLabel: scope ? describeScope(scope) : null,
    lastUsedAt: r.lastUsedAt,
    lastUsedFrom: r.lastUsedFrom,
    revokedAt: r.revokedAt,
    status: r.revokedAt ? "revoked" : isExpired ? "expired" : "active",
  };
}
