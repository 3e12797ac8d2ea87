import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import type { JobContext } from "@/server/jobs/types";

/** Bytes as "12.3 MB" for progress and job logs. */
export const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;

/**
 * A pass-through that hashes and counts a backup's bytes on their way to the store (before any
 * encryption: sha256 and size describe what a download returns) and reports progress on a job step.
 */
export function createBackupMeter(job: JobContext, stepKey: string) {
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
  return { stream, result: () => ({ sha256: hash.digest("hex"), size }) };
}
