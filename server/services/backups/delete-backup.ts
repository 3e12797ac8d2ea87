import { deleteBackupFile } from "@/server/adapters/storage/backup-store";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getBackupRow } from "./backups";
import { deleteOffsiteCopy } from "@/server/services/offsite/offsite-copy";

/**
 * Deletes a backup (not while it runs): its file, its off-site object, its row. Audited. An off-site
 * object that cannot be deleted does not stop the local deletion; the outcome says so.
 */
export async function deleteBackup(id: string, actor: Actor): Promise<{ warning: string | null }> {
  const row = await getBackupRow(id);
  if (row.status === "running") throw new AppError("CONFLICT", "This backup is still running: cancel its job first.");
  const offsiteError = await deleteOffsiteCopy(row);
  await deleteBackupFile(row.fileName);
  await db.backup.delete({ where: { id } });
  const offsite = row.offsiteKey ? { offsiteKey: row.offsiteKey, offsiteDeleted: !offsiteError, offsiteError } : {};
  await recordAuditEvent(actor, {
    action: "backup.delete",
    target: `backup:${id}`,
    details: { status: row.status, sha256: row.sha256, sizeBytes: row.sizeBytes, ...offsite },
  });
  return { warning: offsiteError };
}
