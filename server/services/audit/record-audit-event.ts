import { db } from "@/server/db";
import type { Actor } from "@/server/services/auth/actor";

export interface AuditInput {
  action: string;
  target?: string;
  details?: Record<string, unknown>;
  ok?: boolean;
}

/** Appends an audit event. Callers pass only redacted details: never keys or passwords. */
export async function recordAuditEvent(actor: Actor, input: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: actor.id,
      actorLabel: actor.label,
      action: input.action,
      target: input.target,
      details: JSON.stringify(input.details ?? {}),
      ok: input.ok ?? true,
    },
  });
}

/** Newest first, for the audit page. */
export async function listAuditEvents(limit = 200) {
  const rows = await db.auditEvent.findMany({ orderBy: { at: "desc" }, take: Math.min(limit, 1000) });
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}
