import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { createGzipInspector, hashBackupFile } from "@/server/adapters/storage/backup-store";
import { AppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";

/** Bytes as "12.3 MB" for progress and job logs. */
export const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;

/**
 * A pass-through that hashes and counts a backup's bytes on their way to the store (before any
 * encryption: sha256 and size describe what a download returns) and reports progress on a job step.
 * The same bytes are also gunzipped as they pass (a second reader, with backpressure) and `inspect`
 * sees the uncompressed stream: `inspected()` settles with its size and tail, or rejects when the gzip
 * stream is incomplete or corrupt or the transfer broke off.
 */
export function createBackupMeter(job: JobContext, stepKey: string, inspect: (plain: Buffer) => void) {
  const hash = createHash("sha256");
  let size = 0;
  let lastReport = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      if (Date.now() - lastReport > 500) {
        lastReport = Date.now();
        job.setStepProgress(stepKey, 0.5, `${mb(size)} so far`);
      }
      done(null, chunk);
    },
  });
  const inspector = createGzipInspector({ inspect });
  stream.pipe(inspector.input);
  stream.once("close", () => {
    if (!stream.readableEnded) inspector.input.destroy(new Error("the transfer broke off"));
  });
  return { stream, result: () => ({ sha256: hash.digest("hex"), size }), inspected: () => inspector.result };
}

/**
 * The stored file must hash to what was received and checked on the way (read through decryption
 * when encrypted, which authenticates every chunk): then the file is what was checked.
 */
export async function checkStoredFile(fileName: string, encrypted: boolean, received: string): Promise<void> {
  const stored = await hashBackupFile(fileName, { encrypted });
  if (stored !== received)
    throw new AppError(
      "REMOTE_FAILED",
      `The stored file does not match what was received (sha256 ${stored}, ${received} received): the backup disk may be failing.`,
      { action: "verify backup" },
    );
}
