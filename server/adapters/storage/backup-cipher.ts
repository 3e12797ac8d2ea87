import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { Transform } from "node:stream";
import { ByteQueue } from "./byte-queue";

/**
 * Backup files at rest: a chunked streaming AEAD (one GCM message per 64 KiB chunk, so a file is
 * authenticated as it is read and a Range only decrypts the chunks it needs).
 *
 *   header  = "PXFENC1\n" + 16-byte random salt
 *   key     = HKDF-SHA256(backup key, salt, "pixelfox-backup-v1"), one per file
 *   chunk i = AES-256-GCM(key, nonce = 11-byte big-endian i ‖ last-flag byte, ≤ 64 KiB) ‖ 16-byte tag
 *
 * Security: the counter in the nonce catches reordered or dropped chunks; the last-chunk flag catches
 * a file cut at a chunk boundary; a fresh salt per file means a nonce is never reused under one key.
 */
export const MAGIC = Buffer.from("PXFENC1\n", "latin1");
export const SALT_BYTES = 16;
export const HEADER_BYTES = MAGIC.length + SALT_BYTES;
export const CHUNK_BYTES = 64 * 1024;
export const TAG_BYTES = 16;
export const SEALED_CHUNK_BYTES = CHUNK_BYTES + TAG_BYTES;
const INFO = "pixelfox-backup-v1";

/** A file that is not what was encrypted: tampered, truncated, reordered, or under another key. */
export class BackupCipherError extends Error {
  constructor(
    message: string,
    readonly chunk: number | null,
  ) {
    super(message);
    this.name = "BackupCipherError";
  }
}

function fileKey(backupKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", backupKey, salt, INFO, 32));
}

function nonce(index: number, isLast: boolean): Buffer {
  const n = Buffer.alloc(12);
  // The counter takes bytes 0..10; 6 bytes of it (2^48 chunks = 16 EiB) are ever non-zero.
  n.writeUIntBE(index, 5, 6);
  n[11] = isLast ? 1 : 0;
  return n;
}

function sealChunk(key: Buffer, index: number, isLast: boolean, plain: Buffer): Buffer {
  const cipher = createCipheriv("aes-256-gcm", key, nonce(index, isLast));
  const body = cipher.update(plain);
  cipher.final();
  return Buffer.concat([body, cipher.getAuthTag()]);
}

function openChunk(key: Buffer, index: number, isLast: boolean, sealed: Buffer): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, nonce(index, isLast));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const body = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
  try {
    decipher.final();
  } catch {
    const hint = index === 0 ? " (or it was encrypted under another master key: check PANEL_SECRET / master.key)" : "";
    throw new BackupCipherError(`the backup file was modified or is corrupt: authentication failed at chunk ${index}${hint}`, index);
  }
  return body;
}

/** Encrypts a plaintext stream into the format above; memory stays at about one chunk. */
export function createEncryptStream(backupKey: Buffer): Transform {
  const salt = randomBytes(SALT_BYTES);
  const key = fileKey(backupKey, salt);
  const queue = new ByteQueue();
  let index = 0;
  let headerSent = false;
  const sendHeader = (t: Transform) => {
    if (!headerSent) t.push(Buffer.concat([MAGIC, salt]));
    headerSent = true;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      sendHeader(this);
      queue.push(chunk);
      // A chunk is sealed only once more data follows, so the last one can carry the last-chunk flag.
      while (queue.length > CHUNK_BYTES) this.push(sealChunk(key, index++, false, queue.take(CHUNK_BYTES)));
      done();
    },
    flush(done) {
      sendHeader(this);
      this.push(sealChunk(key, index++, true, queue.take(queue.length)));
      done();
    },
  });
}

export interface DecryptOptions {
  /** The file's salt when the input starts at a chunk rather than at the header (Range reads). */
  salt?: Buffer;
  /** Index of the first chunk in the input (Range reads). */
  firstChunk?: number;
  /** Chunks in the whole file; when given, the last-chunk flag comes from it instead of the input's end. */
  totalChunks?: number;
}

/** Decrypts and authenticates chunk by chunk; a bad chunk fails the stream with BackupCipherError. */
export function createDecryptStream(backupKey: Buffer, opts: DecryptOptions = {}): Transform {
  let key = opts.salt ? fileKey(backupKey, opts.salt) : null;
  let index = opts.firstChunk ?? 0;
  const queue = new ByteQueue();
  const isLastAt = (i: number, atEnd: boolean) => (opts.totalChunks === undefined ? atEnd : i === opts.totalChunks - 1);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      queue.push(chunk);
      try {
        if (!key && queue.length >= HEADER_BYTES) key = fileKey(backupKey, parseHeader(queue.take(HEADER_BYTES)));
        while (key && queue.length > SEALED_CHUNK_BYTES) {
          this.push(openChunk(key, index, isLastAt(index, false), queue.take(SEALED_CHUNK_BYTES)));
          index++;
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done) {
      try {
        if (!key) throw new BackupCipherError("the backup file is truncated: its encryption header is incomplete", null);
        if (queue.length < TAG_BYTES)
          throw new BackupCipherError(`the backup file was modified or is corrupt: it is truncated at chunk ${index}`, index);
        this.push(openChunk(key, index, isLastAt(index, true), queue.take(queue.length)));
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/** The salt of a header; throws when the bytes are not this format. */
export function parseHeader(header: Buffer): Buffer {
  if (header.length < HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new BackupCipherError("the file is not an encrypted backup (no PXFENC1 header)", null);
  }
  return header.subarray(MAGIC.length, HEADER_BYTES);
}

/** Number of chunks and plaintext bytes of an encrypted file of `storedSize` bytes, or null if no file of this format has that size. */
export function describeEncryptedSize(storedSize: number): { chunks: number; plainBytes: number } | null {
  const body = storedSize - HEADER_BYTES;
  if (body < TAG_BYTES) return null;
  const chunks = Math.ceil(body / SEALED_CHUNK_BYTES);
  if (body - (chunks - 1) * SEALED_CHUNK_BYTES < TAG_BYTES) return null;
  return { chunks, plainBytes: body - chunks * TAG_BYTES };
}

/** Which stored bytes to read, and what to keep of their plaintext, to serve plaintext bytes start..end (inclusive). */
export function planRange(storedSize: number, range: { start: number; end: number }) {
  const info = describeEncryptedSize(storedSize);
  if (!info) throw new BackupCipherError("the backup file was modified or is corrupt: its size does not fit the encrypted format", null);
  const firstChunk = Math.floor(range.start / CHUNK_BYTES);
  const lastChunk = Math.floor(range.end / CHUNK_BYTES);
  return {
    firstChunk,
    totalChunks: info.chunks,
    storedStart: HEADER_BYTES + firstChunk * SEALED_CHUNK_BYTES,
    storedEnd: Math.min(storedSize, HEADER_BYTES + (lastChunk + 1) * SEALED_CHUNK_BYTES) - 1,
    skip: range.start - firstChunk * CHUNK_BYTES,
    length: range.end - range.start + 1,
  };
}

/** Passes `length` bytes after skipping `skip` (a Range inside decrypted chunks). */
export function createSliceStream(skip: number, length: number): Transform {
  let toSkip = skip;
  let left = length;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      let part = chunk;
      if (toSkip > 0) {
        const n = Math.min(toSkip, part.length);
        toSkip -= n;
        part = part.subarray(n);
      }
      if (left > 0 && part.length > 0) {
        const out = part.subarray(0, Math.min(left, part.length));
        left -= out.length;
        this.push(out);
      }
      done();
    },
  });
}
