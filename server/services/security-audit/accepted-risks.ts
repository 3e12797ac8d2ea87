import type { AcceptedRisk } from "@prisma/client";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import type { AcceptedRiskView } from "./views";

const toView = (r: AcceptedRisk): AcceptedRiskView => ({
  id: r.id,
  rule: r.rule,
  subject: r.subject,
  reason: r.reason,
  acceptedBy: r.acceptedBy,
  createdAt: r.createdAt,
});

export async function listAcceptedRisks(stackId: string): Promise<AcceptedRiskView[]> {
  return (await db.acceptedRisk.findMany({ where: { stackId, revokedAt: null }, orderBy: { createdAt: "desc" } })).map(toView);
}

/** The accepted risk for one rule and subject (env key or host name), if an admin accepted it. */
export async function findAcceptedRisk(stackId: string, rule: string, subject: string): Promise<AcceptedRiskView | null> {
  const r = await db.acceptedRisk.findFirst({ where: { stackId, rule, subject, revokedAt: null }, orderBy: { createdAt: "desc" } });
  return r ? toView(r) : null;
}

/**
 * Records that an admin knowingly breaks a rule, with the reason they typed (audited, shown on the audit page).
 * Security: the reason is required; the risk stays visible until it is revoked.
 */
export async function acceptRisk(
  input: { stack: string; rule: string; subject: string; reason: string },
  actor: Actor,
): Promise<AcceptedRiskView> {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN", "Only an admin can accept a risk");
  const stack = await getStackRow(input.stack);
  const reason = input.reason.trim();
  if (reason.length < 10) throw new AppError("BAD_REQUEST", "reason: say why, in at least 10 characters", { data: { field: "reason" } });
  const row = await db.acceptedRisk.create({
    data: { stackId: stack.id, rule: input.rule, subject: input.subject, reason, acceptedBy: actor.label },
  });
  await recordAuditEvent(actor, {
    action: "security.risk-accepted",
    target: stack.name,
    details: { rule: input.rule, subject: input.subject, reason },
  });
  return toView(row);
}

export async function revokeRisk(id: string, actor: Actor): Promise<void> {
  const row = await db.acceptedRisk.findUnique({ where: { id } });
  if (!row || row.revokedAt) throw new AppError("NOT_FOUND", "Accepted risk not found");
  await db.acceptedRisk.update({ where: { id }, data: { revokedAt: new Date(), revokedBy: actor.label } });
  await recordAuditEvent(actor, { action: "security.risk-revoked", target: row.subject, details: { rule: row.rule } });
}
