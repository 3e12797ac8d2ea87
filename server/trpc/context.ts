import { auth } from "@/auth";
import { clientAddress } from "@/server/http/client-address";
import type { Actor } from "@/server/services/auth/actor";
import { resolveApiToken } from "@/server/services/tokens/resolve-token";
import { getSessionUser } from "@/server/services/users/users";

export interface TrpcContext {
  actor: Actor | null;
  /** Why there is no actor, when the caller can be told (an expired or revoked token). */
  refusal?: string | null;
}

export type Caller = { actor: Actor; refusal: null } | { actor: null; refusal: string | null };

/** Resolves the caller from a bearer API token or the Auth.js session cookie, saying why a token is refused. */
export async function resolveCaller(headers: Headers): Promise<Caller> {
  const authorization = headers.get("authorization");
  if (authorization?.toLowerCase().startsWith("bearer ")) {
    const resolved = await resolveApiToken(authorization.slice(7).trim(), clientAddress(headers));
    return resolved.ok ? { actor: resolved.actor, refusal: null } : { actor: null, refusal: resolved.reason };
  }
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return { actor: null, refusal: null };
  const user = await getSessionUser(userId, session.authAt);
  return user
    ? { actor: { kind: "user", id: user.id, label: user.email, role: user.role }, refusal: null }
    : { actor: null, refusal: null };
}

/** The caller, or null (see resolveCaller for the reason). */
export async function resolveActor(headers: Headers): Promise<Actor | null> {
  return (await resolveCaller(headers)).actor;
}

export async function createTrpcContext(opts: { headers: Headers }): Promise<TrpcContext> {
  return resolveCaller(opts.headers);
}
