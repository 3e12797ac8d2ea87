import { auth } from "@/auth";
import type { Actor } from "@/server/services/auth/actor";
import { resolveApiToken } from "@/server/services/tokens/api-tokens";
import { getSessionUser } from "@/server/services/users/users";

export interface TrpcContext {
  actor: Actor | null;
}

/** Resolves the caller from a bearer API token or the Auth.js session cookie. */
export async function resolveActor(headers: Headers): Promise<Actor | null> {
  const authorization = headers.get("authorization");
  if (authorization?.toLowerCase().startsWith("bearer ")) {
    return resolveApiToken(authorization.slice(7).trim());
  }
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const user = await getSessionUser(userId, session.authAt);
  return user ? { kind: "user", id: user.id, label: user.email, role: user.role } : null;
}

export async function createTrpcContext(opts: { headers: Headers }): Promise<TrpcContext> {
  return { actor: await resolveActor(opts.headers) };
}
