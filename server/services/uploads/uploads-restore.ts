import type { Backup, Stack } from "@prisma/client";
import { Transform, Writable } from "node:stream";
import { streamCommand } from "@/server/adapters/ssh/exec-stream";
import { describeTarget, type SshTarget } from "@/server/adapters/ssh/types";
import { openBackupPlainStream } from "@/server/adapters/storage/backup-store";
import { AppError } from "@/server/errors";
import { startLockedJob } from "@/server/jobs/stack-lock";
import type { JobContext } from "@/server/jobs/types";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { usableTarget } from "@/server/services/inventory/host-target";
import { getStackRow } from "@/server/services/inventory/stacks";
import { mb } from "@/server/services/backups/backup-meter";
import { checkSha256, copySafetyOffsite, SAFETY_OFFSITE_STEP } from "@/server/services/backups/restore-safety";
import { checkTarRun } from "./tar-run";
import { takeUploadsBackup, UPLOADS_NAME, UPLOADS_PARENT } from "./uploads-backup";
import { listAppHosts } from "./uploads-jobs";

/**
 * GNU tar on the host, reading the archive from stdin: only the `uploads` tree is extracted, and a
 * file that is newer on the host than in the archive is kept (uploads made after the backup are never
 * replaced or removed; files the archive holds and the host lost come back).
 */
const EXTRACT_ARGV = ["tar", "-xzf", "-", "-C", UPLOADS_PARENT, "--keep-newer-files", UPLOADS_NAME];

/**
 * Restores an uploads archive onto the app host it was taken from (ADMIN; the UI asks for the host's
 * name typed). Holds the stack lock, archives the host's current uploads first as a safety backup
 * (off-site too when configured), checks the file's sha256 against the record, then streams it over SSH
 * into tar on the host. Nothing on the host is deleted. Audited.
 */
export async function startUploadsRestore(backup: Backup, actor: Actor): Promise<{ jobId: string }> {
  const stack = await getStackRow(backup.stackId);
  const target = await hostOf(stack, backup);
  const where = `${UPLOADS_PARENT}/${UPLOADS_NAME} on ${target.name}`;
  const { jobId } = await startLockedJob(
    {
      kind: "restore",
      title: `Restore ${stack.name} uploads on ${target.name} from backup ${backup.id}`,
      stackId: stack.id,
      actor,
      purpose: "restore",
      steps: [
        { key: "safety", label: `Safety archive of the current uploads on ${target.name}`, weight: 2 },
        { key: SAFETY_OFFSITE_STEP, label: "Copy the safety archive off-site and verify" },
        { key: "check", label: "Check the backup file" },
        { key: "restore", label: `Extract into ${where}`, weight: 3 },
      ],
    },
    async (job) => {
      const safetyId = await job.step("safety", () =>
        takeUploadsBackup(job, stack, target, { reason: "safety", actorLabel: actor.label, stepKey: "safety" }),
      );
      await copySafetyOffsite(job, safetyId, where);
      await job.step("check", () => checkSha256(backup.fileName, backup.sha256 ?? "", backup.encrypted));
      await job.step("restore", () => extractOnHost(job, target, backup));
      await recordAuditEvent(actor, {
        action: "restore.uploads.succeeded",
        target: stack.name,
        details: { backupId: backup.id, host: target.name, safetyBackupId: safetyId, jobId: job.jobId },
      });
      return { backupId: backup.id, safetyBackupId: safetyId };
    },
  );
  await recordAuditEvent(actor, {
    action: "restore.uploads.start",
    target: stack.name,
    details: { backupId: backup.id, host: target.name, jobId },
  });
  return { jobId };
}

/** The app host the archive was taken from; it must still run an app service of the stack. */
async function hostOf(stack: Stack, backup: Backup): Promise<SshTarget> {
  const host = (await listAppHosts(stack)).find((h) => h.name === backup.hostName);
  if (!host) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Backup ${backup.id} holds the uploads of host ${backup.hostName ?? "(unknown)"}, which no longer runs an app service of ${stack.name}: download the archive and extract it on the host that should have the files.`,
    );
  }
  return usableTarget(host, "restoring its uploads");
}

async function extractOnHost(job: JobContext, target: SshTarget, backup: Backup): Promise<void> {
  const total = backup.sizeBytes ?? 0;
  let sent = 0;
  const progress = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sent += chunk.length;
      if (total > 0) job.setStepProgress("restore", Math.min(1, sent / total), `${mb(sent)} of ${mb(total)} sent`);
      done(null, chunk);
    },
  });
  const input = (await openBackupPlainStream(backup.fileName, { encrypted: backup.encrypted })).pipe(progress);
  job.log(
    `Extracting backup ${backup.id} into ${UPLOADS_PARENT}/${UPLOADS_NAME} on ${describeTarget(target)} (files newer on the host are kept; nothing is deleted)`,
  );
  const discard = new Writable({ write: (_c, _e, done) => done() });
  const result = await streamCommand(target, EXTRACT_ARGV, {
    stdin: input,
    stdout: discard,
    signal: job.signal,
    action: "restore the uploads",
  });
  const stderr = checkTarRun(result, target, {
    what: "Uploads restore",
    doing: "extracting the archive",
    action: "restore the uploads",
    ignore: /is newer or same age/,
    after: "Files already extracted stay; the safety archive taken just before holds the previous state.",
  });
  if (stderr) job.log(stderr, "stderr");
  job.log(`Uploads restored on ${target.name} from backup ${backup.id} (${mb(sent)})`);
}
