import type { Stack } from "@prisma/client";
import { pipeline } from "node:stream/promises";
import { execCommand } from "@/server/adapters/ssh";
import { streamCommand } from "@/server/adapters/ssh/exec-stream";
import { describeTarget, type SshTarget } from "@/server/adapters/ssh/types";
import { createBackupWriteStream } from "@/server/adapters/storage/backup-store";
import { AppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import { describeStoreWriteError } from "@/server/services/backups/store-errors";
import { checkTarRun } from "./tar-run";
import { TarScanner } from "./tar-scan";
import { checkStoredFile, createBackupMeter, mb } from "@/server/services/backups/backup-meter";
import { recordBackup } from "@/server/services/backups/backup-record";

/** The app's uploads volume on an app host (the go-live plan's compose mounts it at /app/uploads). */
export const UPLOADS_PARENT = "/srv/pixelfox";
export const UPLOADS_NAME = "uploads";
const UPLOADS_DIR = `${UPLOADS_PARENT}/${UPLOADS_NAME}`;

/**
 * Archives /srv/pixelfox/uploads of one app host into the store as `<id>.tar.gz`: `tar -czf -` runs on
 * the host over the pooled SSH connection and its stdout is piped straight to the file (sha256 and
 * size on the way, memory flat; encrypted at rest when the stack asks for it), and gunzipped and walked
 * as it arrives. Good only once tar exited 0, the stream was a complete gzip holding a complete tar
 * archive, and the stored file hashes to what arrived. The number of files is recorded in rowCounts as
 * `{ "files": N, "directories": D }`. Any failure deletes the file and records the reason.
 */
export async function takeUploadsBackup(
  job: JobContext,
  stack: Pick<Stack, "id" | "backupEncryption">,
  target: SshTarget,
  input: { reason: string; actorLabel: string; stepKey: string },
): Promise<string> {
  const encrypted = stack.backupEncryption;
  const start = {
    stackId: stack.id,
    kind: "uploads" as const,
    hostName: target.name,
    reason: input.reason,
    actorLabel: input.actorLabel,
    encrypted,
  };
  return recordBackup(job, start, "tar.gz", async ({ id, fileName }) => {
    await checkUploadsDir(target);
    job.log(`Archiving ${UPLOADS_DIR} on ${describeTarget(target)}`);
    // The archive is gunzipped and walked as it arrives; then the stored file must hash to what arrived.
    const scanner = new TarScanner();
    const { sha256, size } = await streamArchiveToFile(job, target, fileName, { stepKey: input.stepKey, encrypted, scanner });
    job.setStepProgress(input.stepKey, 0.9, `${mb(size)} received, verifying the stored file`);
    await checkStoredFile(fileName, encrypted, sha256);
    const { summary, problem } = scanner.finish();
    if (problem)
      throw new AppError("REMOTE_FAILED", `The uploads archive is not a complete tar archive: ${problem}.`, {
        host: target.name,
        action: "verify backup",
      });
    return {
      sizeBytes: size,
      sha256,
      rowCounts: { files: summary.files, directories: summary.directories },
      describe: (ms) =>
        `Backup ${id} of ${target.name}'s uploads verified: ${summary.files} files in ${summary.directories} directories (${mb(summary.contentBytes)}), ${mb(size)} compressed, sha256 ${sha256}, ${ms} ms`,
    };
  });
}

async function checkUploadsDir(target: SshTarget): Promise<void> {
  const res = await execCommand(target, ["test", "-d", UPLOADS_DIR], {
    throwOnNonZero: false,
    timeoutMs: 30_000,
    action: "check the uploads directory",
  });
  if (res.exitCode !== 0) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Host ${describeTarget(target)} has no ${UPLOADS_DIR} directory: the app's uploads volume is expected there. Check that the app service really runs on this host and mounts its uploads from ${UPLOADS_DIR}.`,
      { host: target.name, action: "back up uploads" },
    );
  }
}

async function streamArchiveToFile(
  job: JobContext,
  target: SshTarget,
  fileName: string,
  opts: { stepKey: string; encrypted: boolean; scanner: TarScanner },
): Promise<{ sha256: string; size: number }> {
  const { stepKey } = opts;
  const meter = createBackupMeter(job, stepKey, (c) => opts.scanner.push(c));
  const file = await createBackupWriteStream(fileName, { encrypted: opts.encrypted });
  let fileError: unknown;
  file.once("error", (err) => (fileError = err));
  const writing = pipeline(meter.stream, file);
  const argv = ["tar", "-czf", "-", "-C", UPLOADS_PARENT, UPLOADS_NAME];
  const streaming = streamCommand(target, argv, { stdout: meter.stream, signal: job.signal, action: "archive the uploads" }).catch(
    (err: unknown) => {
      meter.stream.destroy(err as Error); // ends the file pipeline too
      throw err;
    },
  );
  const [run, write] = await Promise.allSettled([streaming, writing]);
  // A full disk (or any write failure) is the cause even when the stream reports it first.
  if (fileError) throw describeStoreWriteError(fileError);
  if (run.status === "rejected") throw run.reason;
  if (write.status === "rejected") throw describeStoreWriteError(write.reason);
  if (job.signal.aborted) throw new AppError("CONFLICT", "Cancelled");
  const result = run.value;
  const stderr = checkTarRun(result, target, { what: "Uploads backup", doing: "archiving the uploads", action: "archive the uploads" });
  if (stderr) job.log(stderr, "stderr");
  await meter.inspected().catch((err: unknown) => {
    throw new AppError(
      "REMOTE_FAILED",
      `The uploads archive from ${target.name} is not a complete gzip stream (${(err as Error).message}).`,
      { host: target.name, action: "verify backup", cause: err },
    );
  });
  return meter.result();
}
