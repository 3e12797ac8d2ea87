import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { openBackupPlainStream } from "@/server/adapters/storage/backup-store";
import { AppError } from "@/server/errors";
import { TarScanner, type TarSummary } from "./tar-scan";

/** Gunzips the stored archive to the end and walks its tar stream; throws unless both are complete. */
export async function verifyUploadsArchive(fileName: string, opts: { encrypted?: boolean } = {}): Promise<TarSummary> {
  const scanner = new TarScanner();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      scanner.push(chunk);
      done();
    },
  });
  try {
    // An encrypted file is decrypted (and each chunk authenticated) on the way.
    await pipeline(await openBackupPlainStream(fileName, { encrypted: opts.encrypted }), createGunzip(), sink);
  } catch (err) {
    throw new AppError("REMOTE_FAILED", `The uploads archive is not a complete gzip stream (${err instanceof Error ? err.message : String(err)}).`, { action: "verify backup", cause: err });
  }
  const { summary, problem } = scanner.finish();
  if (problem) throw new AppError("REMOTE_FAILED", `The uploads archive is not a complete tar archive: ${problem}.`, { action: "verify backup" });
  return summary;
}
