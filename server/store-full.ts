import { statfsSync } from "node:fs";
import { getEnv } from "@/server/env";
import { AppError, isAppError } from "@/server/errors";

/** Below this much free space a failed store write is read as "the disk is full". */
const NEARLY_FULL_BYTES = 1024 * 1024;

/** Free bytes on the disk holding the panel's store, or null when it cannot be read. */
export function storeFreeBytes(dir = getEnv().dataDir): number | null {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/**
 * A failure of the panel's own store (SQLite through Prisma) on a disk that is full says so, with
 * the directory and what to do, instead of "internal error": SQLite reports SQLITE_FULL, and after it
 * Prisma often only sees the rollback that followed ("cannot rollback - no transaction is active"),
 * so the disk itself is asked. Any other error comes back as null.
 */
export function describeStoreFull(err: unknown, dir = getEnv().dataDir): AppError | null {
  if (isAppError(err)) return null;
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | null;
  const isStoreError =
    (typeof e?.name === "string" && /^(PrismaClient|SqliteError)/.test(e.name)) || e?.code === "SQLITE_FULL" || e?.code === "ENOSPC";
  if (!isStoreError) return null;
  const free = storeFreeBytes(dir);
  const full = e?.code === "SQLITE_FULL" || e?.code === "ENOSPC" || (free !== null && free < NEARLY_FULL_BYTES);
  if (!full) return null;
  return new AppError(
    "INTERNAL",
    `The panel could not write to its store: the disk holding ${dir} is full (${free === null ? "free space unknown" : `${Math.round(free / 1024)} KB free`}). Free space there (old job logs, backups in ${dir}/backups, or other files on that disk); nothing else was changed. Reading still works.`,
    { action: "write to the panel's store", cause: err },
  );
}
