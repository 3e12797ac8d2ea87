import { statBackupFile } from "@/server/adapters/storage/backup-store";
import { AppError } from "@/server/errors";
import { startJob } from "@/server/jobs/runner";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import { getBackupRow } from "@/server/services/backups/backups";
import { copyBackupOffsite } from "./offsite-copy";
import { loadOffsiteSettings } from "./offsite-settings";

/** Copies a good backup off-site again, as a job (DEPLOYER and up), e.g. after fixing the settings. Audited. */
export async function startOffsiteRetry(backupId: string, actor: Actor): Promise<{ jobId: string }> {
  const backup = await getBackupRow(backupId);
  if (backup.status !== "good" || !backup.verified)
    throw new AppError("PRECONDITION_FAILED", "Only a verified, good backup can be copied off-site.");
  if ((await statBackupFile(backup.fileName)) === null)
    throw new AppError("PRECONDITION_FAILED", "The backup's file is missing from the panel's store: there is nothing to copy.");
  const settings = await loadOffsiteSettings(backup.stackId);
  if (!settings?.enabled)
    throw new AppError(
      "PRECONDITION_FAILED",
      "Off-site storage is not enabled for this stack: configure and enable it on the database page first.",
    );
  const stack = await getStackRow(backup.stackId);
  const { jobId } = await startJob(
    {
      kind: "offsite",
      title: `Copy backup ${backup.id} off-site`,
      stackId: stack.id,
      actor,
      steps: [{ key: "offsite", label: "Upload off-site and verify", weight: 2 }],
    },
    async (job) => ({ backupId: backup.id, offsite: await copyBackupOffsite(job, backup.id, "offsite") }),
  );
  await recordAuditEvent(actor, {
    action: "backup.offsite.retry",
    target: `backup:${backup.id}`,
    details: { jobId, endpoint: settings.endpoint, bucket: settings.bucket, previousStatus: backup.offsiteStatus },
  });
  return { jobId };
}
