import { db } from "@/server/db";
import { redactPatterns } from "@/server/redact";
import { redactStringLeaves } from "@/server/redact-literals";
import type { Actor } from "@/server/services/auth/actor";
import { stackRedactor } from "@/server/services/secrets/stack-secrets";

export interface AuditInput {
  action: string;
  target?: string;
  details?: Record<string, unknown>;
  ok?: boolean;
}

/**
 * The redaction audit details get: every secret the panel holds (for any stack: details name none
 * reliably) and the secret shapes, as job logs get. A store that cannot be read for its secrets still
 * gets the shapes: the audit trail must not fail the operation it records.
 */
async function auditRedactor(): Promise<(text: string) => string> {
  try {
    return await stackRedactor(null);
  } catch (err) {
    console.warn(`[audit] the panel's secrets could not be read for redaction (${err instanceof Error ? err.name : "error"})`);
    return redactPatterns;
  }
}

/**
 * Appends an audit event. Callers pass only redacted details, never keys or passwords; Security: every
 * string of the details is redacted again here (an error message can quote remote output).
 */
export async function recordAuditEvent(actor: Actor, input: AuditInput): Promise<void> {
  const clean = await auditRedactor();
  await db.auditEvent.create({
    data: {
      actorId: actor.id,
      actorLabel: actor.label,
      action: input.action,
      target: input.target,
      details: JSON.stringify(redactStringLeaves(input.details ?? {}, clean)),
      ok: input.ok ?? true,
    },
  });
}

/** Newest first, for the audit page; details are redacted again as they are read (rows stored before). */
export async function listAuditEvents(limit = 200) {
  const rows = await db.auditEvent.findMany({ orderBy: { at: "desc" }, take: Math.min(limit, 1000) });
  const clean = await auditRedactor();
  return rows.map((r) => ({ ...r, details: redactStringLeaves(JSON.parse(r.details) as Record<string, unknown>, clean) }));
}
