import { readServerVersion } from "@/server/adapters/mysql/introspect";
import { withMysql } from "@/server/adapters/mysql/mysql-connection";
import { openBackupPlainStream } from "@/server/adapters/storage/backup-store";
import { AppError } from "@/server/errors";
import { startJob } from "@/server/jobs/runner";
import { startLockedJob } from "@/server/jobs/stack-lock";
import type { JobContext } from "@/server/jobs/types";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import { takeMysqlBackup } from "./backup-dump";
import { getBackupRow } from "./backups";
import { copyBackupOffsite, OFFSITE_STEP } from "@/server/services/offsite/offsite-copy";
import { resolveDbTarget, type DbTarget } from "@/server/services/database/db-target";
import { checkSha256, copySafetyOffsite, SAFETY_OFFSITE_STEP } from "./restore-safety";
import { startUploadsRestore } from "@/server/services/uploads/uploads-restore";
import { buildRestoreArgv, cleanStderr, reportedExit, restoreRefusal } from "./dump-commands";

/** Starts a MySQL backup job for a stack (DEPLOYER and up). Audited. */
export async function startBackup(stackRef: string, actor: Actor, reason = "manual"): Promise<{ jobId: string }> {
  const stack = await getStackRow(stackRef);
  const { jobId } = await startJob(
    {
      kind: "backup",
      title: `Back up ${stack.name} database`,
      stackId: stack.id,
      actor,
      steps: [{ key: "dump", label: "Dump, compress, stream and verify", weight: 3 }, OFFSITE_STEP],
    },
    async (job) => {
      const t = await resolveDbTarget(stack);
      const backupId = await job.step("dump", () => takeMysqlBackup(job, t, { reason, actorLabel: actor.label, stepKey: "dump" }));
      // A failed copy fails the job (the backup stays good locally): a green job means it is off-site too.
      await copyBackupOffsite(job, backupId, OFFSITE_STEP.key);
      return { backupId };
    },
  );
  await recordAuditEvent(actor, { action: "backup.start", target: stack.name, details: { jobId, reason } });
  return { jobId };
}

/**
 * Restores a good backup into the live database (ADMIN; the UI asks for typed confirmation). Holds the
 * stack lock (no deploy or migration meanwhile), takes a safety backup first, checks the file's sha256
 * against the record, then streams it over SSH into the db container's client. Audited.
 */
export async function startRestore(backupId: string, actor: Actor): Promise<{ jobId: string }> {
  const backup = await getBackupRow(backupId);
  if (backup.status !== "good" || !backup.verified)
    throw new AppError("PRECONDITION_FAILED", "Only a verified, good backup can be restored.");
  if (backup.kind === "uploads") return startUploadsRestore(backup, actor);
  const stack = await getStackRow(backup.stackId);
  const { jobId } = await startLockedJob(
    {
      kind: "restore",
      title: `Restore ${stack.name} database from backup ${backup.id}`,
      stackId: stack.id,
      actor,
      purpose: "restore",
      steps: [
        { key: "safety", label: "Safety backup of the current database", weight: 2 },
        { key: SAFETY_OFFSITE_STEP, label: "Copy the safety backup off-site and verify" },
        { key: "check", label: "Check the backup file" },
        { key: "restore", label: "Restore into the live database", weight: 3 },
      ],
    },
    async (job) => {
      const t = await resolveDbTarget(stack);
      const safetyId = await job.step("safety", () =>
        takeMysqlBackup(job, t, { reason: "safety", actorLabel: actor.label, stepKey: "safety" }),
      );
      await copySafetyOffsite(job, safetyId, "the live database");
      await job.step("check", () => checkSha256(backup.fileName, backup.sha256 ?? "", backup.encrypted));
      await job.step("restore", () => restoreFile(job, t, backup.fileName, backup.database ?? t.database, backup.encrypted));
      await recordAuditEvent(actor, {
        action: "restore.succeeded",
        target: stack.name,
        details: { backupId: backup.id, safetyBackupId: safetyId, jobId: job.jobId },
      });
      return { backupId: backup.id, safetyBackupId: safetyId };
    },
  );
  await recordAuditEvent(actor, { action: "restore.start", target: stack.name, details: { backupId: backup.id, jobId } });
  return { jobId };
}

async function restoreFile(job: JobContext, t: DbTarget, fileName: string, database: string, encrypted: boolean): Promise<void> {
  job.addSecret(t.rootPassword);
  const { isMariaDb } = await withMysql(t.target, t.app, readServerVersion);
  job.log(`Restoring into ${database} on ${t.target.name}`);
  const result = await t.docker.exec(t.container, {
    cmd: buildRestoreArgv(database, isMariaDb),
    env: [`MYSQL_PWD=${t.rootPassword}`],
    stdin: await openBackupPlainStream(fileName, { encrypted }),
    signal: job.signal,
    action: `restore ${database}`,
  });
  const gunzipExit = reportedExit(result.stderr, "pxf-gunzip-exit");
  const output = cleanStderr(result.stderr);
  if (result.exitCode !== 0 || gunzipExit !== 0) {
    const refusal = restoreRefusal(result.stderr);
    throw new AppError(
      "REMOTE_FAILED",
      `${refusal ? `${refusal} ` : ""}Restore into ${database} failed (client status ${result.exitCode ?? "unknown"}, gunzip status ${gunzipExit ?? "unknown"}).${output ? ` Output: ${output}` : ""} The safety backup taken just before holds the previous data.`,
      { host: t.target.name, action: "restore database" },
    );
  }
  if (output) job.log(output, "stderr");
  job.log(`Restore into ${database} finished`);
}
