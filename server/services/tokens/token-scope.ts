import { db } from "@/server/db";
import type { TokenScope } from "@/server/domain/accounts";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { describeScope } from "./token-policy";

/** What a REST route acts on, as far as a scoped token is concerned; null: anything else (refused). */
export type ScopeTarget = { kind: "stack"; stack: string } | { kind: "own-job"; jobId: string } | null;

/**
 * Security: a scoped token may call only the deploy routes of its stack (deploy, rollback, the
 * stack's deployments) and read or cancel the jobs it started itself; everything else, and every
 * tRPC procedure, is refused with 403 naming the scope. An unscoped caller passes untouched.
 */
export async function checkTokenScope(actor: Actor, target: ScopeTarget): Promise<void> {
  const scope = actor.scope;
  if (!scope) return;
  if (target?.kind === "stack" && (await isScopeStack(scope, target.stack))) return;
  if (target?.kind === "own-job" && (await isOwnJob(actor, target.jobId))) return;
  throw scopeRefusal(scope, target);
}

export function scopeRefusal(scope: TokenScope, target: ScopeTarget = null): AppError {
  const what = target?.kind === "stack" ? `stack ${target.stack}` : target?.kind === "own-job" ? "a job it did not start" : "this";
  return new AppError("FORBIDDEN", `This API token is limited to ${describeScope(scope)} (its scope); it cannot act on ${what}`, {
    data: { scope },
  });
}

async function isScopeStack(scope: TokenScope, ref: string): Promise<boolean> {
  if (ref === scope.stackId) return true;
  const stack = await db.stack.findFirst({ where: { OR: [{ id: ref }, { name: ref }] }, select: { id: true } });
  return stack?.id === scope.stackId;
}

async function isOwnJob(actor: Actor, jobId: string): Promise<boolean> {
  if (!actor.id) return false;
  const job = await db.job.findUnique({ where: { id: jobId }, select: { actorId: true } });
  return job?.actorId === actor.id;
}
