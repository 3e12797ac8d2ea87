import { Readable } from "node:stream";
import type { Backup } from "@prisma/client";
import { openBackupPlainStream, statBackupPlainSize } from "@/server/adapters/storage/backup-store";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getBackupRow } from "./backups";

/** A parsed single byte range (inclusive end), "unsatisfiable", or null for the whole file. */
export type ByteRange = { start: number; end: number } | "unsatisfiable" | null;

/** Parses an HTTP Range header for one range (`bytes=a-b`, `bytes=a-`, `bytes=-n`); others are ignored. */
export function parseRange(header: string | null, size: number): ByteRange {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}

/**
 * The name a download is saved under: `<database>-<time>-<id>.sql.gz` for a MySQL dump,
 * `uploads-<host>-<time>-<id>.tar.gz` for an uploads archive.
 */
export function downloadName(backup: Pick<Backup, "id" | "kind" | "database" | "hostName" | "createdAt">): string {
  const stamp = backup.createdAt.toISOString().replace(/[:.]/g, "-").slice(0, 19);
  // Security: only [A-Za-z0-9_.-] reach the header (the database name is an identifier, a host name
  // is inventory text), so no quote or CR/LF can break out of it.
  const safe = (text: string) => text.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 64);
  if (backup.kind === "uploads") return `uploads-${safe(backup.hostName ?? "host")}-${stamp}-${backup.id}.tar.gz`;
  return `${safe(backup.database ?? "db")}-${stamp}-${backup.id}.sql.gz`;
}

/**
 * The download of a good backup file as a streamed Response, with single-range support (206 +
 * Content-Range) so an interrupted download resumes. An encrypted file is decrypted on the way (a
 * Range reads and authenticates only the chunks it covers). Audited (the first request of a download).
 */
export async function createBackupDownload(id: string, rangeHeader: string | null, actor: Actor): Promise<Response> {
  const backup = await getBackupRow(id);
  if (backup.status !== "good")
    throw new AppError("PRECONDITION_FAILED", `This backup is ${backup.status}: only good backups can be downloaded.`);
  // An encrypted file is served as its plaintext .gz (what the recorded sha256 describes).
  const size = await statBackupPlainSize(backup.fileName, { encrypted: backup.encrypted });
  if (size === null) throw new AppError("NOT_FOUND", "The backup file is missing from the store.");
  const range = parseRange(rangeHeader, size);
  const headers: Record<string, string> = {
    "Content-Type": "application/gzip",
    "Content-Disposition": `attachment; filename="${downloadName(backup)}"`,
    "Accept-Ranges": "bytes",
    "Cache-Control": "no-store",
    ETag: `"${backup.sha256 ?? backup.id}"`,
  };
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${size}` } });
  if (!range || range.start === 0) {
    await recordAuditEvent(actor, {
      action: "backup.download",
      target: `backup:${backup.id}`,
      details: { sizeBytes: size, sha256: backup.sha256, range: rangeHeader },
    });
  }
  const stream = await openBackupPlainStream(backup.fileName, { encrypted: backup.encrypted, range: range ?? undefined });
  const body = Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
  if (!range) return new Response(body, { status: 200, headers: { ...headers, "Content-Length": String(size) } });
  return new Response(body, {
    status: 206,
    headers: {
      ...headers,
      "Content-Length": String(range.end - range.start + 1),
      "Content-Range": `bytes ${range.start}-${range.end}/${size}`,
    },
  });
}
