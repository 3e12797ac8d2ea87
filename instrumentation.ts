/**
 * Next.js calls `register` once when a server process starts. The environment is validated first; then
 * jobs left queued or running by the previous process are marked interrupted and their stack locks
 * released before any request runs.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // A bad PANEL_URL or other setting stops the server now, naming the rule, not at the first request.
  const { getEnv } = await import("@/server/env");
  getEnv();
  // Imported here, not at the top, so the edge bundle never pulls in Prisma.
  const { markInterruptedJobs } = await import("@/server/jobs/interrupted");
  const { markInterruptedBackups } = await import("@/server/services/backups/interrupted-backups");
  try {
    await markInterruptedJobs();
    // A backup or drill that was running is over too: its partial file never counts.
    await markInterruptedBackups();
  } catch (err) {
    // A panel that cannot tidy up old jobs should still start and show what it can.
    console.error("[jobs] could not mark interrupted jobs at startup:", err);
  }
  // Health checks and alerts: one scheduler per server process (PANEL_HEALTH_INTERVAL_MS=0 turns it off).
  const { startHealthScheduler } = await import("@/server/jobs/scheduler");
  try {
    startHealthScheduler();
  } catch (err) {
    console.error("[health] scheduler not started:", err);
  }
  // Backup and drill schedules: one croner tick per server process (PANEL_BACKUP_SCHEDULER=0 turns it off).
  const { startBackupScheduler } = await import("@/server/jobs/backup-scheduler");
  try {
    startBackupScheduler();
  } catch (err) {
    console.error("[backups] scheduler not started:", err);
  }
  // The security audit of every stack, daily (PANEL_AUDIT_EVERY_HOURS=0 turns it off).
  const { startAuditScheduler } = await import("@/server/jobs/audit-scheduler");
  try {
    startAuditScheduler();
  } catch (err) {
    console.error("[audit] scheduler not started:", err);
  }
}
