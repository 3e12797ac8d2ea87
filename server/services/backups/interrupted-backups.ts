import { deleteBackupFile } from "@/server/adapters/storage/backup-store";
import { db } from "@/server/db";
import { listLiveJobIds } from "@/server/jobs/registry";

export interface InterruptedBackupsSummary {
  /** Backups that were being taken: now failed, their partial files deleted. */
  backups: number;
  /** Drills that were running: now `interrupted` (neither passed nor failed). */
  drills: number;
}

/**
 * Run when the panel starts, after the jobs are marked interrupted: a backup row still `running`
 * whose job is not running here lost its process, so it is failed with the reason and its partial
 * file deleted (a partial dump never counts: not good, not verified, not kept by retention); a drill
 * still `running` is marked `interrupted` with the scratch database it may have left, which the next
 * drill on that db host drops.
 */
export async function markInterruptedBackups(now = new Date()): Promise<InterruptedBackupsSummary> {
  const live = listLiveJobIds();
  const when = `${now.toISOString().slice(0, 19).replace("T", " ")} UTC`;
  const backups = await db.backup.findMany({
    where: { status: "running", OR: [{ jobId: null }, { jobId: { notIn: live } }] },
    select: { id: true, fileName: true, createdAt: true },
  });
  for (const b of backups) {
    if (b.fileName !== "pending") await deleteBackupFile(b.fileName).catch(() => undefined);
    await db.backup.update({
      where: { id: b.id },
      data: {
        status: "failed",
        verified: false,
        error: `The panel stopped while this backup was being taken (restart at ${when}); the partial file was deleted`,
        endedAt: now,
        durationMs: Math.max(0, now.getTime() - b.createdAt.getTime()),
      },
    });
  }
  const drilling = await db.backup.findMany({ where: { drillStatus: "running" }, select: { id: true, drillDetails: true } });
  const liveDrills = new Set(
    (await db.job.findMany({ where: { id: { in: live }, kind: "drill" }, select: { title: true } })).map((j) => j.title),
  );
  let drills = 0;
  for (const b of drilling) {
    if ([...liveDrills].some((t) => t.endsWith(` backup ${b.id}`))) continue;
    drills++;
    await db.backup.update({
      where: { id: b.id },
      data: {
        drillStatus: "interrupted",
        drillAt: now,
        drillDetails: JSON.stringify({
          error: `The panel stopped during this drill (restart at ${when}): it proved nothing. Any scratch database it left (pxf_drill_…) is dropped by the next drill on that db host.`,
          comparison: null,
        }),
      },
    });
  }
  if (backups.length || drills) console.warn(`[backups] ${backups.length} interrupted backup(s) failed, ${drills} drill(s) interrupted`);
  return { backups: backups.length, drills };
}
