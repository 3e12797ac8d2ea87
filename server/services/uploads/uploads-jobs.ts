import type { Host, Stack } from "@prisma/client";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { startJob } from "@/server/jobs/runner";
import type { JobContext } from "@/server/jobs/types";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { usableTarget } from "@/server/services/inventory/host-target";
import { getStackRow } from "@/server/services/inventory/stacks";
import { applyRetention } from "@/server/services/schedules/apply-retention";
import { copyBackupOffsite, OFFSITE_STEP } from "@/server/services/offsite/offsite-copy";
import type { RetentionPolicy } from "@/server/services/schedules/retention";
import { takeUploadsBackup } from "./uploads-backup";

/** The distinct hosts that run an app service of the stack, in placement order. */
export async function listAppHosts(stack: Stack): Promise<Host[]> {
  const services = await db.service.findMany({
    where: { stackId: stack.id, kind: "app" },
    include: { host: true },
    orderBy: { createdAt: "asc" },
  });
  const hosts = new Map<string, Host>();
  for (const s of services) hosts.set(s.host.id, s.host);
  if (hosts.size === 0)
    throw new AppError(
      "PRECONDITION_FAILED",
      `Stack ${stack.name} has no app service: place the app on a host before backing up its uploads.`,
    );
  return [...hosts.values()];
}

/**
 * Starts a job that backs up /srv/pixelfox/uploads of every app host of the stack (DEPLOYER and up),
 * one backup per host, one step per host. Every host is tried; the job fails if any host failed.
 * With a retention policy (schedules), each host whose new archive is good and off-site (when
 * configured) has its older archives thinned. Audited.
 */
export async function startUploadsBackup(
  stackRef: string,
  actor: Actor,
  reason = "manual",
  retention?: RetentionPolicy,
): Promise<{ jobId: string }> {
  const stack = await getStackRow(stackRef);
  const hosts = await listAppHosts(stack);
  const steps = hosts.flatMap((h, i) => [
    { key: `uploads-${i + 1}`, label: `Archive, stream and verify the uploads of ${h.name}`, weight: 3 },
    { key: `offsite-${i + 1}`, label: `${OFFSITE_STEP.label} (${h.name})`, weight: OFFSITE_STEP.weight },
  ]);
  if (retention) steps.push({ key: "retention", label: "Apply retention", weight: 1 });
  const { jobId } = await startJob(
    { kind: "backup", title: `Back up ${stack.name} uploads`, stackId: stack.id, actor, steps },
    async (job) => {
      const { backupIds, done, failures } = await backUpAllHosts(job, stack, hosts, { reason, actorLabel: actor.label });
      if (retention) {
        await job.step("retention", async () => {
          for (const host of done)
            await applyRetention(stack.id, retention, actor, (line) => job.log(`${host}: ${line}`), { kind: "uploads", hostName: host });
          if (failures.length)
            job.log(`Retention skipped for ${hosts.length - done.length} host(s) without a new good, off-site archive`, "warn");
        });
      }
      if (failures.length) {
        throw new AppError(
          "REMOTE_FAILED",
          `Uploads backup failed on ${failures.length} of ${hosts.length} app host(s). ${failures.join(" ")}`,
        );
      }
      return { backupIds };
    },
  );
  await recordAuditEvent(actor, {
    action: "backup.uploads.start",
    target: stack.name,
    details: { jobId, reason, hosts: hosts.map((h) => h.name) },
  });
  return { jobId };
}

async function backUpAllHosts(job: JobContext, stack: Stack, hosts: Host[], input: { reason: string; actorLabel: string }) {
  const backupIds: string[] = [];
  /** Hosts whose new archive is good and, where configured, off-site: retention may thin theirs. */
  const done: string[] = [];
  const failures: string[] = [];
  for (const [i, host] of hosts.entries()) {
    const stepKey = `uploads-${i + 1}`;
    let id: string | undefined;
    try {
      id = await job.step(stepKey, () =>
        takeUploadsBackup(job, stack, usableTarget(host, "backing up its uploads"), { ...input, stepKey }),
      );
      backupIds.push(id);
      // A failed copy fails the job (the archive stays good locally), as for database backups.
      await copyBackupOffsite(job, id, `offsite-${i + 1}`);
      done.push(host.name);
    } catch (err) {
      if (!id) job.skipStep(`offsite-${i + 1}`, `No archive of ${host.name} to copy`);
      if (job.signal.aborted) throw err;
      failures.push(`${host.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { backupIds, done, failures };
}
