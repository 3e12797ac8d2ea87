import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { isAppError, toTrpcCode } from "@/server/errors";
import { describeFieldErrors, flattenFieldErrors } from "@/server/field-errors";
import type { Role } from "@/server/domain/roles";
import { hasRole } from "@/server/domain/roles";
import { scopeRefusal } from "@/server/services/tokens/token-scope";
import { describeStoreFull } from "@/server/store-full";
import type { TrpcContext } from "./context";

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const storeFull = describeStoreFull(error.cause);
    const cause = storeFull ?? error.cause;
    const isApp = isAppError(cause);
    const isInternal = error.code === "INTERNAL_SERVER_ERROR";
    if (isInternal && !isApp) console.error("[trpc] internal error:", cause ?? error);
    const fieldErrors = flattenFieldErrors(cause);
    let message = storeFull ? storeFull.message : shape.message;
    // Security: unknown errors never show their detail or stack to the browser.
    if (isInternal && !isApp) message = "Internal error: see the panel's server log";
    else if (!isApp && fieldErrors) {
      message = describeFieldErrors(fieldErrors);
    }
    return {
      ...shape,
      message,
      data: {
        stack: undefined,
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode: isApp ? cause.code : null,
        host: isApp ? (cause.host ?? null) : null,
        details: isApp ? (cause.data ?? null) : null,
        fieldErrors,
      },
    };
  },
});

/** Turns AppErrors thrown by services into tRPC errors, once, here. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: toTrpcCode(cause.code), message: cause.message, cause });
  }
  return result;
});

function requireRole(role: Role) {
  return t.middleware(({ ctx, next }) => {
    if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.refusal ?? "Sign in first" });
    // Security: a scoped token acts only through the REST deploy routes of its stack, never here.
    if (ctx.actor.scope) throw new TRPCError({ code: "FORBIDDEN", message: scopeRefusal(ctx.actor.scope).message });
    if (!hasRole(ctx.actor.role, role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${role} role; you are ${ctx.actor.role}` });
    }
    return next({ ctx: { actor: ctx.actor } });
  });
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);
export const viewerProcedure = publicProcedure.use(requireRole("VIEWER"));
export const deployerProcedure = publicProcedure.use(requireRole("DEPLOYER"));
export const adminProcedure = publicProcedure.use(requireRole("ADMIN"));

/**
 * Users and tokens. Security: never an API token, whatever its role: a leaked token cannot mint
 * users or further tokens, and cannot outlive its creator by making a new one.
 */
export const adminUserProcedure = adminProcedure.use(({ ctx, next }) => {
  if (ctx.actor.kind === "token")
    throw new TRPCError({ code: "FORBIDDEN", message: "API tokens cannot manage users or tokens: sign in to the panel to do this" });
  return next({ ctx: { actor: ctx.actor } });
});

/**
 * The caller's own account (password, two-factor sign-in): any signed-in user, whatever the role, and
 * never an API token. Its mutations act only on the caller's own user row.
 */
export const accountProcedure = viewerProcedure.use(({ ctx, next }) => {
  if (ctx.actor.kind !== "user" || !ctx.actor.id)
    throw new TRPCError({ code: "FORBIDDEN", message: "Only a signed-in user has an account to manage; API tokens do not" });
  return next({ ctx: { actor: ctx.actor, userId: ctx.actor.id } });
});
