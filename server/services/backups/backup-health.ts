import { db } from "@/server/db";
import { getStackRow } from "@/server/services/inventory/stacks";
import { explainCronError, measureCronInterval } from "@/server/domain/cron";
import { getOffsiteHealth, type OffsiteHealth } from "@/server/services/offsite/offsite-health";

const DAY_MS = 86_400_000;

export interface BackupHealth {
  lastGoodBackupAt: Date | null;
  lastPassingDrillAt: Date | null;
  /** Older than this is late: twice the enabled schedule's longest gap, or 24 h without one. */
  backupMaxAgeMs: number;
  drillMaxAgeMs: number;
  isBackupStale: boolean;
  isDrillStale: boolean;
  /** Whether the newest good backup is verified off-site (see OffsiteHealth). */
  offsite: OffsiteHealth;
}

async function maxAgeFor(stackId: string, kind: "backup" | "drill"): Promise<number> {
  const schedules = await db.backupSchedule.findMany({ where: { stackId, kind, enabled: true } });
  const gaps = schedules
    .filter((s) => explainCronError(s.cron, s.timezone) === null)
    .map((s) => measureCronInterval(s.cron, s.timezone))
    .filter((g): g is number => g !== null);
  return gaps.length ? 2 * Math.min(...gaps) : DAY_MS;
}

/** Age and state of the last good backup and of the last passing drill of a stack. */
export async function getBackupHealth(stackRef: string, now = Date.now()): Promise<BackupHealth> {
  const stack = await getStackRow(stackRef);
  const [good, drill, backupMaxAgeMs, drillMaxAgeMs] = await Promise.all([
    db.backup.findFirst({ where: { stackId: stack.id, kind: "mysql", status: "good", verified: true }, orderBy: { createdAt: "desc" } }),
    db.backup.findFirst({ where: { stackId: stack.id, drillStatus: "passed" }, orderBy: { drillAt: "desc" } }),
    maxAgeFor(stack.id, "backup"),
    maxAgeFor(stack.id, "drill"),
  ]);
  const lastGoodBackupAt = good?.createdAt ?? null;
  const lastPassingDrillAt = drill?.drillAt ?? null;
  return {
    lastGoodBackupAt,
    lastPassingDrillAt,
    backupMaxAgeMs,
    drillMaxAgeMs,
    offsite: await getOffsiteHealth(stack.id, good),
    isBackupStale: !lastGoodBackupAt || now - lastGoodBackupAt.getTime() > backupMaxAgeMs,
    isDrillStale: !lastPassingDrillAt || now - lastPassingDrillAt.getTime() > drillMaxAgeMs,
  };
}
