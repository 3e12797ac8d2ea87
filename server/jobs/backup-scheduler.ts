import { Cron } from "croner";
import { runDueSchedules } from "@/server/services/schedules/schedule-runs";

const KEY = Symbol.for("pixelfox.backupScheduler");

interface BackupSchedulerHandle {
  stop(): void;
}

/** Off when PANEL_BACKUP_SCHEDULER=0. */
export function isBackupSchedulerEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.PANEL_BACKUP_SCHEDULER !== "0";
}

/**
 * Starts the backup/drill scheduler once per server process (guarded on globalThis): a croner tick
 * every second reads the due schedules from the database, so edits take effect without a restart.
 * `protect` keeps a slow tick from overlapping the next.
 */
export function startBackupScheduler(): BackupSchedulerHandle | null {
  const g = globalThis as unknown as Record<symbol, BackupSchedulerHandle | undefined>;
  if (g[KEY]) return g[KEY];
  if (!isBackupSchedulerEnabled()) return null;
  const tick = new Cron("* * * * * *", { timezone: "UTC", protect: true, unref: true }, async () => {
    await runDueSchedules().catch((err: unknown) => console.error("[backups] scheduler tick failed:", err));
  });
  g[KEY] = {
    stop: () => {
      tick.stop();
      g[KEY] = undefined;
    },
  };
  return g[KEY];
}
