import type { Backup } from "@prisma/client";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { stackRedactor } from "@/server/services/secrets/stack-secrets";
import { getStackRow } from "@/server/services/inventory/stacks";

export interface BackupView {
  id: string;
  /** mysql | uploads */
  kind: string;
  /** Uploads backups: the app host whose /srv/pixelfox/uploads was archived. */
  hostName: string | null;
  status: "running" | "good" | "failed";
  sizeBytes: number | null;
  sha256: string | null;
  verified: boolean;
  /** Stored encrypted at rest (sha256 and size still describe the plaintext .gz). */
  encrypted: boolean;
  serverVersion: string | null;
  database: string | null;
  rowCounts: Record<string, number>;
  reason: string;
  error: string | null;
  actorLabel: string;
  jobId: string | null;
  durationMs: number | null;
  drillStatus: "running" | "passed" | "failed" | "interrupted" | null;
  drillAt: Date | null;
  /** Why the last drill failed, or null. */
  drillError: string | null;
  createdAt: Date;
  endedAt: Date | null;
  /** null: not copied (no off-site storage enabled when it was taken). */
  offsiteStatus: "pending" | "uploaded" | "failed" | null;
  offsiteKey: string | null;
  offsiteError: string | null;
  offsiteAt: Date | null;
}

// Security: ids are cuids; a value with `/`, `.` or anything else never reaches a file path.
export const BACKUP_ID = /^[a-z0-9]{8,40}$/;

/** The API's view of a backup row (file name stays server-side). */
export function toBackupView(b: Backup): BackupView {
  return {
    id: b.id,
    kind: b.kind,
    hostName: b.hostName,
    status: b.status as BackupView["status"],
    sizeBytes: b.sizeBytes,
    sha256: b.sha256,
    verified: b.verified,
    encrypted: b.encrypted,
    serverVersion: b.serverVersion,
    database: b.database,
    rowCounts: JSON.parse(b.rowCounts) as Record<string, number>,
    reason: b.reason,
    error: b.error,
    actorLabel: b.actorLabel,
    jobId: b.jobId,
    durationMs: b.durationMs,
    createdAt: b.createdAt,
    endedAt: b.endedAt,
    offsiteStatus: b.offsiteStatus as BackupView["offsiteStatus"],
    offsiteKey: b.offsiteKey,
    offsiteError: b.offsiteError,
    offsiteAt: b.offsiteAt,
    drillStatus: b.drillStatus as BackupView["drillStatus"],
    drillAt: b.drillAt,
    drillError: b.drillDetails ? ((JSON.parse(b.drillDetails) as { error?: string | null }).error ?? null) : null,
  };
}

/** Newest first. */
export async function listBackups(stackRef: string, limit = 100): Promise<BackupView[]> {
  const stack = await getStackRow(stackRef);
  const rows = await db.backup.findMany({ where: { stackId: stack.id }, orderBy: { createdAt: "desc" }, take: limit });
  // Security: failure reasons quote remote output (a dump's stderr, an S3 answer); viewers read this list.
  const clean = await stackRedactor(stack.id);
  const redactOrNull = (text: string | null) => (text === null ? null : clean(text));
  return rows.map(toBackupView).map((v) => ({
    ...v,
    error: redactOrNull(v.error),
    offsiteError: redactOrNull(v.offsiteError),
    drillError: redactOrNull(v.drillError),
  }));
}

/** A backup row by id; NOT_FOUND for an unknown or malformed id. */
export async function getBackupRow(id: string): Promise<Backup> {
  const row = BACKUP_ID.test(id) ? await db.backup.findUnique({ where: { id } }) : null;
  if (!row) throw new AppError("NOT_FOUND", "Backup not found. It may have been deleted; refresh the list.");
  return row;
}
