import { backupDir } from "@/server/adapters/storage/backup-store";
import { AppError, isAppError } from "@/server/errors";

const DISK_FULL = new Set(["ENOSPC", "EDQUOT"]);

/** True when `err` says the backup store's disk (or quota) is full. */
export function isDiskFullError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && DISK_FULL.has(code);
}

/**
 * The operator's reading of a failure to write a backup file: a full disk names the store's
 * directory and what to do; anything else keeps the file system's own message.
 */
export function describeStoreWriteError(err: unknown): AppError {
  if (isDiskFullError(err)) {
    return new AppError(
      "INTERNAL",
      `No space left on the panel's backup disk (${backupDir()}): free space there or point PANEL_BACKUP_DIR at a bigger disk, then back up again.`,
      { action: "write backup file", cause: err },
    );
  }
  if (isAppError(err)) return err;
  return new AppError("INTERNAL", `Writing the backup file failed: ${err instanceof Error ? err.message : String(err)}`, {
    action: "write backup file",
    cause: err,
  });
}
