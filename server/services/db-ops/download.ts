import { Readable } from "node:stream";
import { openBackupReadStream, statBackupFile } from "@/server/adapters/storage/backup-store";
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
 * The download of a good backup file as a streamed Response, with single-range support (206 +
 * Content-Range) so an interrupted download resumes. Audited (the first request of a download).
 */
export async function createBackupDownload(id: string, rangeHeader: string | null, actor: Actor): Promise<Response> {
  const backup = await getBackupRow(id);
  if (backup.status !== "good") throw new AppError("PRECONDITION_FAILED", `This backup is ${backup.status}: only good backups can be downloaded.`);
  const size = await statBackupFile(backup.fileName);
  if (size === null) throw new AppError("NOT_FOUND", "The backup file is missing from the store.");
  const range = parseRange(rangeHeader, size);
  const stamp = backup.createdAt.toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const headers: Record<string, string> = {
    "Content-Type": "application/gzip",
    // Security: the name is built from the database name (an identifier) and a timestamp, never user input.
    "Content-Disposition": `attachment; filename="${backup.database ?? "db"}-${stamp}-${backup.id}.sql.gz"`,
    "Accept-Ranges": "bytes",
    "Cache-Control": "no-store",
    ETag: `"${backup.sha256 ?? backup.id}"`,
  };
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${size}` } });
  if (!range || range.start === 0) {
    await recordAuditEvent(actor, { action: "backup.download", target: `backup:${backup.id}`, details: { sizeBytes: size, sha256: backup.sha256, range: rangeHeader } });
  }
  const stream = openBackupReadStream(backup.fileName, range ?? undefined);
  const body = Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
  if (!range) return new Response(body, { status: 200, headers: { ...headers, "Content-Length": String(size) } });
  return new Response(body, {
    status: 206,
    headers: { ...headers, "Content-Length": String(range.end - range.start + 1), "Content-Range": `bytes ${range.start}-${range.end}/${size}` },
  });
}
