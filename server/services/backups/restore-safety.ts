import { hashBackupFile } from "@/server/adapters/storage/backup-store";
import { AppError, isAppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import { copyBackupOffsite } from "@/server/services/offsite/offsite-copy";

/** What every restore does before it overwrites anything (database and uploads alike). */

export const SAFETY_OFFSITE_STEP = "safety-offsite";

/**
 * With off-site storage on, the safety backup is copied there before anything is overwritten: the
 * data it holds exists nowhere else once the restore runs. A failed copy stops the restore untouched.
 */
export async function copySafetyOffsite(job: JobContext, safetyId: string, untouched: string): Promise<void> {
  try {
    await copyBackupOffsite(job, safetyId, SAFETY_OFFSITE_STEP);
  } catch (err) {
    if (!isAppError(err)) throw err;
    throw new AppError(
      err.code,
      `Nothing was restored: ${untouched} is unchanged. ${err.message} Or turn off-site copies off for this stack, then restore again.`,
      { cause: err, data: err.data },
    );
  }
}

/** The plaintext's sha256 against the record; an encrypted file is authenticated chunk by chunk on the way. */
export async function checkSha256(fileName: string, expected: string, encrypted: boolean): Promise<void> {
  const actual = await hashBackupFile(fileName, { encrypted }).catch((err: unknown) => {
    throw new AppError("PRECONDITION_FAILED", `${(err as Error).message} Refusing to restore it.`, { action: "check backup", cause: err });
  });
  if (actual !== expected)
    throw new AppError(
      "PRECONDITION_FAILED",
      `The backup file changed since it was taken (sha256 ${actual}, recorded ${expected}); refusing to restore it.`,
    );
}
