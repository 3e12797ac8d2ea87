import { randomBytes } from "node:crypto";
import { db } from "@/server/db";
import { sha256Hex } from "@/server/crypto";
import { AppError } from "@/server/errors";
import type { Role } from "@/server/domain/roles";
import { isRole } from "@/server/domain/roles";
import type { Actor } from "@/server/services/auth/actor";

const TOKEN_PREFIX = "pxf_";

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Creates a token and returns it once in clear; only its sha256 is stored. */
export async function createApiToken(input: { name: string; role: Role; createdById: string | null }) {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const row = await db.apiToken.create({
    data: {
      name: input.name,
      role: input.role,
      tokenHash: sha256Hex(token),
      prefix: token.slice(0, 10),
      createdById: input.createdById,
    },
  });
  return { token, view: toView(row) };
}

/** Resolves a bearer token to an actor, or null when unknown or revoked. */
export async function resolveApiToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
  if (!row || row.revokedAt || !isRole(row.role)) return null;
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { kind: "token", id: row.id, label: `token:${row.name}`, role: row.role };
}

export async function listApiTokens(): Promise<ApiTokenView[]> {
  return (await db.apiToken.findMany({ orderBy: { createdAt: "desc" } })).map(toView);
}

export async function revokeApiToken(id: string): Promise<ApiTokenView> {
  const row = await db.apiToken.findUnique({ where: { id } });
  if (!row) throw new AppError("NOT_FOUND", "API token not found");
  return toView(await db.apiToken.update({ where: { id }, data: { revokedAt: row.revokedAt ?? new Date() } }));
}

function toView(r: {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): ApiTokenView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    role: isRole(r.role) ? r.role : "VIEWER",
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    revokedAt: r.revokedAt,
  };
}
