import { deleteBackupFile } from "@/server/adapters/storage/backup-store";
import { db } from "@/server/db";
import type { JobContext } from "@/server/jobs/types";

/** What a backup run knows when it starts: the row is created with it, status running. */
export interface BackupStart {
  stackId: string;
  kind: "mysql" | "uploads";
  reason: string;
  actorLabel: string;
  encrypted: boolean;
  database?: string;
  hostName?: string;
}

/** What a verified backup records. `describe` gets the total duration for the job log's last line. */
export interface GoodBackup {
  sizeBytes: number;
  sha256: string;
  rowCounts: Record<string, number>;
  tableChecksums?: Record<string, string>;
  describe: (durationMs: number) => string;
}

/**
 * The life of one backup row and its store file (`<id>.<ext>`): created running, marked good and
 * verified only with what `work` returns, or on any failure the file deleted and the row failed with
 * the reason (never shown as good). Returns the backup's id.
 */
export async function recordBackup(
  job: JobContext,
  start: BackupStart,
  ext: "sql.gz" | "tar.gz",
  work: (row: { id: string; fileName: string }) => Promise<GoodBackup>,
): Promise<string> {
  const row = await db.backup.create({ data: { ...start, fileName: "pending", jobId: job.jobId } });
  const fileName = `${row.id}.${ext}`;
  await db.backup.update({ where: { id: row.id }, data: { fileName } });
  const started = Date.now();
  try {
    const good = await work({ id: row.id, fileName });
    const durationMs = Date.now() - started;
    await db.backup.update({
      where: { id: row.id },
      data: {
        status: "good",
        verified: true,
        sizeBytes: good.sizeBytes,
        sha256: good.sha256,
        durationMs,
        endedAt: new Date(),
        rowCounts: JSON.stringify(good.rowCounts),
        ...(good.tableChecksums ? { tableChecksums: JSON.stringify(good.tableChecksums) } : {}),
      },
    });
    job.log(`${good.describe(durationMs)}${start.encrypted ? ", encrypted at rest" : ""}`);
    return row.id;
  } catch (err) {
    await deleteBackupFile(fileName).catch(() => undefined);
    const message = job.signal.aborted ? "Cancelled" : err instanceof Error ? err.message : String(err);
    await db.backup.update({
      where: { id: row.id },
      data: { status: "failed", verified: false, error: message, durationMs: Date.now() - started, endedAt: new Date() },
    });
    throw err;
  }
}
