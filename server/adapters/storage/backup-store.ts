import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, type ReadStream, type WriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import { getEnv } from "@/server/env";
import { AppError } from "@/server/errors";

// Security: store file names are generated from ids; anything else (`..`, `/`, absolute paths) is refused.
const FILE_NAME = /^[a-z0-9]{8,40}\.(?:sql|tar)\.gz$/;

/** The backup store's directory: PANEL_BACKUP_DIR, or `<PANEL_DATA_DIR>/backups`. */
export function backupDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.PANEL_BACKUP_DIR ?? path.join(getEnv().dataDir, "backups"));
}

/** The absolute path of a stored file; throws on any name that is not a generated one. */
export function backupFilePath(fileName: string): string {
  if (!FILE_NAME.test(fileName)) throw new AppError("BAD_REQUEST", "Invalid backup file name.");
  return path.join(backupDir(), fileName);
}

/** Opens a new file for writing (never overwrites; owner-only permissions). */
export async function createBackupWriteStream(fileName: string): Promise<WriteStream> {
  const file = backupFilePath(fileName);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  return createWriteStream(file, { flags: "wx", mode: 0o600 });
}

/** Reads a stored file, optionally a byte range (inclusive end). */
export function openBackupReadStream(fileName: string, range?: { start: number; end: number }): ReadStream {
  return createReadStream(backupFilePath(fileName), range ? { start: range.start, end: range.end } : undefined);
}

/** Size of a stored file, or null when it is missing. */
export async function statBackupFile(fileName: string): Promise<number | null> {
  try {
    return (await stat(backupFilePath(fileName))).size;
  } catch {
    return null;
  }
}

/** Removes a stored file; a missing file is fine. */
export async function deleteBackupFile(fileName: string): Promise<void> {
  await rm(backupFilePath(fileName), { force: true });
}

/**
 * Gunzips a stored file to the end (a truncated or corrupt gzip stream fails) and returns the
 * last bytes of the uncompressed content, where a dump's completion trailer is. Memory stays flat.
 */
export async function readGzipTail(fileName: string, tailBytes = 4096): Promise<{ uncompressedBytes: number; tail: string }> {
  let tail = Buffer.alloc(0);
  let total = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      total += chunk.length;
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > tailBytes) tail = tail.subarray(tail.length - tailBytes);
      done();
    },
  });
  try {
    await pipeline(openBackupReadStream(fileName), createGunzip(), sink);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError("REMOTE_FAILED", `The backup file is not a complete gzip stream (${reason}).`, { action: "verify backup", cause: err });
  }
  return { uncompressedBytes: total, tail: tail.toString("utf8") };
}

/** sha256 (hex) of a stored file, streamed. */
export async function hashBackupFile(fileName: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of openBackupReadStream(fileName)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
