import { deleteBackupFile } from "@/server/adapters/storage/backup-store";
import { db } from "@/server/db";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { deleteOffsiteCopy } from "@/server/services/offsite/offsite-copy";
import { selectRetention, type RetentionPolicy } from "./retention";

/** Which backups one retention run looks at: the database's, or one app host's uploads archives. */
export type RetentionScope = { kind: "mysql" } | { kind: "uploads"; hostName: string };

/**
 * Applies a retention policy to a stack's backups of one scope (file, off-site object and row), each
 * deletion audited. Called only right after a new good backup of that scope, so what goes always has
 * a newer good one behind it.
 */
export async function applyRetention(
  stackId: string,
  policy: RetentionPolicy,
  actor: Actor,
  log: (line: string) => void = () => undefined,
  scope: RetentionScope = { kind: "mysql" },
): Promise<string[]> {
  const rows = await db.backup.findMany({ where: { stackId, ...scope }, orderBy: { createdAt: "desc" } });
  const decision = selectRetention(
    rows.map((b) => ({
      id: b.id,
      isGood: b.status === "good" && b.verified,
      isRunning: b.status === "running",
      createdAt: b.createdAt,
      drillPassed: b.drillStatus === "passed",
    })),
    policy,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const removed: string[] = [];
  for (const { id, why } of decision.remove) {
    const row = byId.get(id);
    if (!row) continue;
    await deleteBackupFile(row.fileName);
    const offsiteError = await deleteOffsiteCopy(row);
    await db.backup.delete({ where: { id } }).catch(() => undefined);
    const offsite = row.offsiteKey ? { offsiteKey: row.offsiteKey, offsiteDeleted: !offsiteError, offsiteError } : {};
    await recordAuditEvent(actor, {
      action: "backup.retention.delete",
      target: `backup:${id}`,
      details: { why, status: row.status, createdAt: row.createdAt.toISOString(), sha256: row.sha256, policy, ...offsite },
    });
    log(
      `Retention removed backup ${id} (${row.createdAt.toISOString()}): ${why}${row.offsiteKey && !offsiteError ? `; off-site object ${row.offsiteKey} deleted` : ""}`,
    );
    if (offsiteError) log(`Warning: ${offsiteError}`);
    removed.push(id);
  }
  log(
    `Retention (last ${policy.keepLast}, daily ${policy.keepDaily}, weekly ${policy.keepWeekly}): kept ${decision.keep.length}, removed ${removed.length}`,
  );
  return removed;
}
