import { ZodError, type z } from "zod";
import { AppError, toHttpStatus } from "@/server/errors";
import type { Role } from "@/server/domain/roles";
import { hasRole } from "@/server/domain/roles";
import type { Actor } from "@/server/services/auth/actor";
import { resolveActor } from "@/server/trpc/context";

type Params = Record<string, string>;
type Handler = (args: { req: Request; actor: Actor; params: Params }) => Promise<Response>;

export function jsonError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({ error: { code, message, ...extra } }, { status });
}

function fieldErrors(err: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of err.issues) (out[String(i.path[0] ?? "_body")] ??= []).push(i.message);
  return out;
}

/** Maps any thrown error to the REST API's JSON error shape; unknown errors never leak detail. */
export function errorResponse(err: unknown): Response {
  if (err instanceof ZodError) {
    const fe = fieldErrors(err);
    const message = Object.entries(fe).map(([k, v]) => `${k}: ${v.join(", ")}`).join("; ");
    return jsonError(400, "BAD_REQUEST", message, { fieldErrors: fe });
  }
  if (err instanceof AppError) {
    const field = typeof err.data?.field === "string" ? { fieldErrors: { [err.data.field]: [err.message] } } : {};
    return jsonError(toHttpStatus(err.code), err.code, err.message, { host: err.host ?? null, details: err.data ?? null, ...field });
  }
  console.error("[api] internal error:", err);
  return jsonError(500, "INTERNAL", "Internal error: see the panel's server log");
}

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
