import type { BackupSchedule } from "@prisma/client";
import { db } from "@/server/db";
import { startJob } from "@/server/jobs/runner";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import { applyRetention } from "./apply-retention";
import { takeMysqlBackup } from "@/server/services/backups/backup-dump";
import { startDrill } from "@/server/services/drills/drills";
import { startUploadsBackup } from "@/server/services/uploads/uploads-jobs";
import { findNextRun } from "@/server/domain/cron";
import { copyBackupOffsite, OFFSITE_STEP } from "@/server/services/offsite/offsite-copy";
import { resolveDbTarget } from "@/server/services/database/db-target";

/** Who scheduled runs are attributed to in jobs and the audit log. */
export const SCHEDULER_ACTOR: Actor = { kind: "cli", id: null, label: "scheduler", role: "ADMIN" };

/**
 * Starts every enabled schedule whose next run is due, moving its next run forward first so a slow
 * start never fires twice. A run that would overlap a backup still running is skipped, not queued.
 */
export async function runDueSchedules(now = new Date()): Promise<void> {
  const due = await db.backupSchedule.findMany({ where: { enabled: true, nextRunAt: { lte: now } } });
  for (const s of due) {
    await db.backupSchedule.update({ where: { id: s.id }, data: { lastRunAt: now, nextRunAt: findNextRun(s.cron, s.timezone, now) } });
    const outcome = await startScheduledRun(s).catch((err: unknown) => ({
      jobId: null,
      result: `failed: ${err instanceof Error ? err.message : String(err)}`,
    }));
    await db.backupSchedule
      .update({ where: { id: s.id }, data: { lastJobId: outcome.jobId, lastResult: outcome.result } })
      .catch(() => undefined);
  }
}

async function startScheduledRun(s: BackupSchedule): Promise<{ jobId: string | null; result: string }> {
  if (s.kind === "drill") {
    const newest = await db.backup.findFirst({
      where: { stackId: s.stackId, kind: "mysql", status: "good", verified: true },
      orderBy: { createdAt: "desc" },
    });
    if (!newest) return { jobId: null, result: "skipped: no good backup to drill" };
    return { ...(await startDrill(newest.id, SCHEDULER_ACTOR)), result: "started" };
  }
  if (s.kind === "uploads") {
    if (await db.backup.findFirst({ where: { stackId: s.stackId, kind: "uploads", status: "running" } }))
      return { jobId: null, result: "skipped: an uploads backup is still running" };
    const policy = { keepLast: s.keepLast, keepDaily: s.keepDaily, keepWeekly: s.keepWeekly };
    return { ...(await startUploadsBackup(s.stackId, SCHEDULER_ACTOR, "schedule", policy)), result: "started" };
  }
  if (await db.backup.findFirst({ where: { stackId: s.stackId, kind: "mysql", status: "running" } }))
    return { jobId: null, result: "skipped: a backup is still running" };
  return { ...(await startScheduledBackup(s)), result: "started" };
}

/** A backup job for a schedule, followed by the schedule's retention once the new backup is good. */
async function startScheduledBackup(s: BackupSchedule): Promise<{ jobId: string }> {
  const stack = await getStackRow(s.stackId);
  const policy = { keepLast: s.keepLast, keepDaily: s.keepDaily, keepWeekly: s.keepWeekly };
  const { jobId } = await startJob(
    {
      kind: "backup",
      title: `Scheduled backup of ${stack.name} database`,
      stackId: stack.id,
      actor: SCHEDULER_ACTOR,
      steps: [
        { key: "dump", label: "Dump, compress, stream and verify", weight: 3 },
        OFFSITE_STEP,
        { key: "retention", label: "Apply retention" },
      ],
    },
    async (job) => {
      const t = await resolveDbTarget(stack);
      const backupId = await job.step("dump", () =>
        takeMysqlBackup(job, t, { reason: "schedule", actorLabel: SCHEDULER_ACTOR.label, stepKey: "dump" }),
      );
      // Security: with the new backup not off-site, retention would shrink the off-site history; it waits.
      await copyBackupOffsite(job, backupId, OFFSITE_STEP.key).catch((err: unknown) => {
        job.skipStep("retention", "Skipped: the off-site copy failed, older backups and their off-site copies are kept");
        throw err;
      });
      const removed = await job.step("retention", () => applyRetention(stack.id, policy, SCHEDULER_ACTOR, (line) => job.log(line)));
      return { backupId, removed };
    },
  );
  await recordAuditEvent(SCHEDULER_ACTOR, {
    action: "backup.start",
    target: stack.name,
    details: { jobId, reason: "schedule", scheduleId: s.id },
  });
  return { jobId };
}
