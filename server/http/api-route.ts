import type { z } from "zod";
import { AppError } from "@/server/errors";
import { errorResponse, jsonError } from "./error-response";
import type { Role } from "@/server/domain/roles";
import { hasRole } from "@/server/domain/roles";
import type { Actor } from "@/server/services/auth/actor";
import { resolveActor } from "@/server/trpc/context";

type Params = Record<string, string>;
export { errorResponse, jsonError };

type Handler = (args: { req: Request; actor: Actor; params: Params }) => Promise<Response>;

/**
 * Thin REST handler: resolves the caller (Bearer API token or session cookie), checks the role,
 * runs the handler and maps errors once. Security: 401 without a valid caller, 403 below the role.
 */
export function apiRoute(role: Role, handler: Handler) {
  return async (req: Request, ctx: { params: Promise<Params> }): Promise<Response> => {
    try {
      const actor = await resolveActor(req.headers);
      if (!actor) return jsonError(401, "UNAUTHORIZED", "A valid API token (Authorization: Bearer …) or session is required");
      if (!hasRole(actor.role, role)) return jsonError(403, "FORBIDDEN", `This needs the ${role} role; the caller is ${actor.role}`);
      return await handler({ req, actor, params: await ctx.params });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** Parses a JSON body with a zod schema; an empty body counts as `{}`. */
export async function readJson<T extends z.ZodTypeAny>(req: Request, schema: T): Promise<z.infer<T>> {
  const text = await req.text();
  if (text.length > 64 * 1024) throw new AppError("BAD_REQUEST", "Body too large (64 KB max)");
  let body: unknown = {};
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new AppError("BAD_REQUEST", "Body must be JSON");
    }
  }
  return schema.parse(body);
}
