import type { z } from "zod";
import { AppError } from "@/server/errors";
import { errorResponse, jsonError } from "./error-response";
import type { Role } from "@/server/domain/roles";
import { hasRole } from "@/server/domain/roles";
import type { Actor } from "@/server/services/auth/actor";
import { checkTokenScope, type ScopeTarget } from "@/server/services/tokens/token-scope";
import { resolveCaller } from "@/server/trpc/context";
import { getPanelSite, resolvePanelOrigin } from "./panel-url";
import { assertNotCrossSite, BODY_LIMITS, checkContentLength, readBodyWithLimit, requireJsonContentType } from "./request-guard";

type Params = Record<string, string>;
export { errorResponse, jsonError };

type Handler = (args: { req: Request; actor: Actor; params: Params }) => Promise<Response>;

export interface ApiRouteOptions {
  /**
   * What a scoped token may reach here: "stack" (the route's `stack` param must be the token's
   * stack) or "own-job" (the `id` param must be a job the token started). Omitted: scoped tokens
   * are refused (403 naming the scope).
   */
  scoped?: "stack" | "own-job";
}

/** What a route acts on, for the scope check of a scoped token. */
export function scopeTargetOf(scoped: ApiRouteOptions["scoped"], params: Params): ScopeTarget {
  if (scoped === "stack") return { kind: "stack", stack: params.stack ?? "" };
  if (scoped === "own-job") return { kind: "own-job", jobId: params.id ?? "" };
  return null;
}

/**
 * Thin REST handler: resolves the caller (Bearer API token or session cookie), checks the role and a
 * token's scope, runs the handler and maps errors once. Security: before the caller is even resolved,
 * a request driven by another site's page is refused (403; a cookie counts only from the panel's own
 * pages, a Bearer token without cookies from anywhere), and so is a declared body over
 * BODY_LIMITS.rest (413). Then 401 without a valid caller (saying why a token is refused: revoked,
 * expired…), 403 below the role or outside the token's scope. This covers the downloads that write audit events.
 */
export function apiRoute(role: Role, handler: Handler, options: ApiRouteOptions = {}) {
  return async (req: Request, ctx: { params: Promise<Params> }): Promise<Response> => {
    try {
      assertNotCrossSite(req, resolvePanelOrigin(req.headers, getPanelSite()));
      checkContentLength(req.headers, BODY_LIMITS.rest);
      const { actor, refusal } = await resolveCaller(req.headers);
      if (!actor) return jsonError(401, "UNAUTHORIZED", refusal ?? "A valid API token (Authorization: Bearer …) or session is required");
      if (!hasRole(actor.role, role)) return jsonError(403, "FORBIDDEN", `This needs the ${role} role; the caller is ${actor.role}`);
      const params = await ctx.params;
      await checkTokenScope(actor, scopeTargetOf(options.scoped, params));
      return await handler({ req, actor, params });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/**
 * Parses a JSON body with a zod schema; an empty body counts as `{}`. The body is read only up to
 * BODY_LIMITS.rest (413 past it) and must be sent as application/json (415 otherwise).
 */
export async function readJson<T extends z.ZodTypeAny>(req: Request, schema: T): Promise<z.infer<T>> {
  const bytes = await readBodyWithLimit(req, BODY_LIMITS.rest);
  const text = new TextDecoder().decode(bytes);
  let body: unknown = {};
  if (text.trim()) {
    requireJsonContentType(req.headers);
    try {
      body = JSON.parse(text);
    } catch {
      throw new AppError("BAD_REQUEST", "Body must be JSON");
    }
  }
  return schema.parse(body);
}
