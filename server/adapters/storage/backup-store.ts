import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, type ReadStream, type WriteStream } from "node:fs";
import { mkdir, open, rm, stat } from "node:fs/promises";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { pipeline } from "node:stream/promises";
import { pipeline as pipe, type Readable, Writable } from "node:stream";
import { getBackupKey } from "@/server/crypto";
import { getEnv } from "@/server/env";
import { AppError, isAppError } from "@/server/errors";
import {
  BackupCipherError,
  createDecryptStream,
  createEncryptStream,
  createSliceStream,
  describeEncryptedSize,
  HEADER_BYTES,
  parseHeader,
  planRange,
} from "./backup-cipher";

/** How a stored file is kept: `encrypted` = chunked AES-256-GCM at rest (Backup.encrypted). */
export interface BackupFileOptions {
  encrypted?: boolean;
}

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

/**
 * Opens a new file for writing (never overwrites; owner-only permissions). With `{ encrypted: true }`
 * the bytes written are the plaintext and the file holds them encrypted; the stream finishes once
 * the file is flushed. Either way, hash and count what you write: that is the plaintext.
 */
export async function createBackupWriteStream(fileName: string): Promise<WriteStream>;
export async function createBackupWriteStream(fileName: string, opts: BackupFileOptions): Promise<Writable>;
export async function createBackupWriteStream(fileName: string, opts: BackupFileOptions = {}): Promise<Writable> {
  const file = backupFilePath(fileName);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const out = createWriteStream(file, { flags: "wx", mode: 0o600 });
  return opts.encrypted ? encryptInto(out) : out;
}

function encryptInto(file: WriteStream): Writable {
  const encrypt = createEncryptStream(getBackupKey());
  const written = pipeline(encrypt, file);
  const writer = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (encrypt.write(chunk)) done();
      else encrypt.once("drain", () => done());
    },
    final(done) {
      encrypt.end();
      written.then(() => done(), done);
    },
    destroy(err, done) {
      if (!encrypt.writableFinished) encrypt.destroy(err ?? undefined);
      done(err);
    },
  });
  written.catch((err: Error) => writer.destroy(err));
  return writer;
}

/** Reads a stored file as stored (ciphertext when encrypted), optionally a byte range (inclusive end). */
export function openBackupReadStream(fileName: string, range?: { start: number; end: number }): ReadStream {
  return createReadStream(backupFilePath(fileName), range ? { start: range.start, end: range.end } : undefined);
}

/**
 * Reads a stored file's plaintext (the .gz), optionally a plaintext byte range: for an encrypted file
 * only the chunks holding the range are read and authenticated. A tampered chunk fails the stream
 * with "the backup file was modified or is corrupt: authentication failed at chunk N" (see describeReadError).
 */
export async function openBackupPlainStream(
  fileName: string,
  opts: BackupFileOptions & { range?: { start: number; end: number } } = {},
): Promise<Readable> {
  if (!opts.encrypted) return openBackupReadStream(fileName, opts.range);
  const key = getBackupKey();
  if (!opts.range) return pipe(openBackupReadStream(fileName), createDecryptStream(key), () => undefined);
  const storedSize = await statBackupFile(fileName);
  if (storedSize === null) throw new AppError("NOT_FOUND", "The backup file is missing from the store.");
  const plan = planRange(storedSize, opts.range);
  const salt = parseHeader(await readHead(fileName));
  return pipe(
    openBackupReadStream(fileName, { start: plan.storedStart, end: plan.storedEnd }),
    createDecryptStream(key, { salt, firstChunk: plan.firstChunk, totalChunks: plan.totalChunks }),
    createSliceStream(plan.skip, plan.length),
    () => undefined,
  );
}

async function readHead(fileName: string): Promise<Buffer> {
  const handle = await open(backupFilePath(fileName), "r");
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEADER_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Plaintext size of a stored file (what a download serves), or null when it is missing. */
export async function statBackupPlainSize(fileName: string, opts: BackupFileOptions = {}): Promise<number | null> {
  const stored = await statBackupFile(fileName);
  if (stored === null || !opts.encrypted) return stored;
  const info = describeEncryptedSize(stored);
  if (!info)
    throw new AppError("PRECONDITION_FAILED", "The backup file was modified or is corrupt: its size does not fit the encrypted format.", {
      action: "read backup",
    });
  return info.plainBytes;
}

/** An AppError for a failed read of a stored file: decryption failures keep their chunk-precise message. */
export function describeReadError(err: unknown, what: string): AppError {
  if (isAppError(err)) return err;
  if (err instanceof BackupCipherError) {
    return new AppError("PRECONDITION_FAILED", `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.`, {
      action: "decrypt backup",
      cause: err,
    });
  }
  const reason = err instanceof Error ? err.message : String(err);
  return new AppError("REMOTE_FAILED", `${what} (${reason}).`, { action: "read backup", cause: err });
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
export async function readGzipTail(
  fileName: string,
  tailOrOpts: number | (BackupFileOptions & { tailBytes?: number; inspect?: (chunk: Buffer) => void }) = 4096,
): Promise<{ uncompressedBytes: number; tail: string }> {
  const opts = typeof tailOrOpts === "number" ? { tailBytes: tailOrOpts } : tailOrOpts;
  const inspector = createGzipInspector(opts);
  try {
    pipe(await openBackupPlainStream(fileName, opts), inspector.input, (err) => {
      if (err) inspector.input.destroy(err);
    });
    return await inspector.result;
  } catch (err) {
    throw describeReadError(err, "The backup file is not a complete gzip stream");
  }
}

/**
 * A writable that gunzips what it is given and keeps the uncompressed size and tail (`inspect` sees
 * every uncompressed chunk): `result` settles once the gzip stream ended, and rejects if it was
 * incomplete or corrupt, or the input was destroyed.
 */
export function createGzipInspector(opts: { tailBytes?: number; inspect?: (chunk: Buffer) => void } = {}) {
  const tailBytes = opts.tailBytes ?? 4096;
  let tail = Buffer.alloc(0);
  let total = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      total += chunk.length;
      opts.inspect?.(chunk);
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > tailBytes) tail = tail.subarray(tail.length - tailBytes);
      done();
    },
  });
  const input = createGunzip();
  const result = pipeline(input, sink).then(() => ({ uncompressedBytes: total, tail: tail.toString("utf8") }));
  result.catch(() => undefined); // the caller awaits it; an early failure must not go unhandled meanwhile
  return { input, result };
}

/** sha256 (hex) of a stored file's plaintext (what Backup.sha256 records), streamed. */
export async function hashBackupFile(fileName: string, opts: BackupFileOptions = {}): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of await openBackupPlainStream(fileName, opts)) hash.update(chunk as Buffer);
  } catch (err) {
    throw describeReadError(err, "The backup file could not be read");
  }
  return hash.digest("hex");
}
