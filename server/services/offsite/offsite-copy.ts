import { createHash } from "node:crypto";
import type { Backup } from "@prisma/client";
import { createS3Target } from "@/server/adapters/s3/client";
import { deleteObject, headObject, uploadObject } from "@/server/adapters/s3/objects";
import { openBackupReadStream, statBackupFile } from "@/server/adapters/storage/backup-store";
import { db } from "@/server/db";
import { offsiteKeyFor } from "@/server/domain/offsite";
import { AppError, isAppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import { getBackupRow } from "@/server/services/backups/backups";
import { loadOffsiteSettings, type OffsiteSettings } from "./offsite-settings";

const MB = 1_000_000;

/** The job step a backup job declares for its off-site copy. */
export const OFFSITE_STEP = { key: "offsite", label: "Copy off-site and verify", weight: 2 };

/** sha256 and md5 of the stored bytes, in one streamed pass. */
async function hashStoredFile(fileName: string): Promise<{ sha256: string; md5: string }> {
  const sha = createHash("sha256");
  const md5 = createHash("md5");
  for await (const chunk of openBackupReadStream(fileName)) {
    sha.update(chunk as Buffer);
    md5.update(chunk as Buffer);
  }
  return { sha256: sha.digest("hex"), md5: md5.digest("hex") };
}

/** Uploads the stored file as stored (an encrypted file stays encrypted) and checks what the bucket holds. */
async function uploadAndVerify(job: JobContext, backup: Backup, s: OffsiteSettings, stepKey: string): Promise<string> {
  const size = await statBackupFile(backup.fileName);
  if (size === null)
    throw new AppError(
      "PRECONDITION_FAILED",
      `The stored file of backup ${backup.id} is missing from the panel's backup store; nothing to copy.`,
    );
  const stored = await hashStoredFile(backup.fileName);
  // sha256 on the record describes the plaintext .gz; for an unencrypted file it must be the stored bytes.
  if (!backup.encrypted && backup.sha256 && stored.sha256 !== backup.sha256) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `The stored file of backup ${backup.id} changed since it was taken (sha256 ${stored.sha256}, recorded ${backup.sha256}); not copying a damaged file off-site.`,
    );
  }
  const key = offsiteKeyFor(s.prefix, backup.fileName);
  const t = createS3Target(s);
  job.addSecret(s.secretAccessKey);
  job.log(
    `Uploading ${backup.fileName} (${(size / MB).toFixed(1)} MB, sha256 ${stored.sha256}) to ${s.endpoint}, bucket ${s.bucket}, key ${key}`,
  );
  try {
    await uploadObject(t, {
      key,
      body: openBackupReadStream(backup.fileName),
      signal: job.signal,
      metadata: { sha256: stored.sha256, "backup-id": backup.id },
      onProgress: (n) => job.setStepProgress(stepKey, size ? n / size : 1, `${(n / MB).toFixed(1)} MB / ${(size / MB).toFixed(1)} MB`),
    });
    const head = await headObject(t, key);
    const where = `${s.endpoint} (bucket ${s.bucket}, key ${key})`;
    if (!head)
      throw new AppError(
        "REMOTE_FAILED",
        `The object is missing at ${where} right after the upload: check the bucket's lifecycle rules and retry.`,
      );
    if (head.size !== size)
      throw new AppError(
        "REMOTE_FAILED",
        `The object at ${where} has ${head.size} bytes, the stored file ${size}: the upload was cut; retry.`,
      );
    if (head.metadata.sha256 !== stored.sha256)
      throw new AppError(
        "REMOTE_FAILED",
        `The object at ${where} does not carry the file's sha256 (${head.metadata.sha256 ?? "none"}): the storage dropped the metadata or another copy replaced it; retry.`,
      );
    // A plain MD5 ETag (single PUT, or servers that hash the whole object) must match the bytes we sent.
    if (head.etag && /^[0-9a-f]{32}$/.test(head.etag) && head.etag !== stored.md5) {
      throw new AppError(
        "REMOTE_FAILED",
        `The object at ${where} has ETag ${head.etag}, the stored file's MD5 is ${stored.md5}: its content differs (or the bucket uses KMS encryption, whose ETags are not MD5s).`,
      );
    }
    job.log(`Verified off-site: ${head.size} bytes, sha256 ${stored.sha256}${head.etag ? `, ETag ${head.etag}` : ""}`);
    return key;
  } finally {
    t.client.destroy();
  }
}

/**
 * Copies a good backup to the stack's off-site storage as job step `stepKey` (skipped when none is
 * enabled), verifies it, and records offsiteStatus. A failed copy leaves the backup good locally,
 * records offsiteStatus "failed" with the reason, and throws an AppError that says both.
 * Used by manual and scheduled MySQL backups and by uploads backups.
 */
export async function copyBackupOffsite(job: JobContext, backupId: string, stepKey: string): Promise<"uploaded" | "skipped"> {
  const backup = await getBackupRow(backupId);
  const s = await loadOffsiteSettings(backup.stackId);
  if (!s?.enabled) {
    job.skipStep(stepKey, s ? "Off-site storage is disabled for this stack" : "No off-site storage is configured for this stack");
    return "skipped";
  }
  return job.step(stepKey, async () => {
    if (backup.status !== "good" || !backup.verified)
      throw new AppError(
        "PRECONDITION_FAILED",
        `Backup ${backup.id} is not a verified, good backup: only good backups are copied off-site.`,
      );
    await db.backup.update({ where: { id: backup.id }, data: { offsiteStatus: "pending", offsiteError: null } });
    try {
      const key = await uploadAndVerify(job, backup, s, stepKey);
      await db.backup.update({
        where: { id: backup.id },
        data: { offsiteStatus: "uploaded", offsiteKey: key, offsiteAt: new Date(), offsiteError: null },
      });
      return "uploaded" as const;
    } catch (err) {
      const reason = isAppError(err)
        ? err.message
        : `Unexpected error while copying to ${s.endpoint} (bucket ${s.bucket}): see the panel's log.`;
      if (!isAppError(err)) console.error(`[offsite] backup ${backup.id}:`, err);
      await db.backup.update({ where: { id: backup.id }, data: { offsiteStatus: "failed", offsiteError: reason, offsiteAt: new Date() } });
      job.log(`Off-site copy failed: ${reason}`, "error");
      throw new AppError(
        isAppError(err) ? err.code : "REMOTE_FAILED",
        `Backup ${backup.id} is good and kept locally, but its off-site copy failed: ${reason} Then press Retry on the backup.`,
        { cause: err, data: isAppError(err) ? err.data : undefined },
      );
    }
  });
}

/**
 * Deletes a backup's off-site object (retention, manual delete). Returns null when there was nothing
 * to delete or it went, else the reason it could not be deleted (the caller records it).
 */
export async function deleteOffsiteCopy(backup: Pick<Backup, "id" | "stackId" | "offsiteKey">): Promise<string | null> {
  if (!backup.offsiteKey) return null;
  const s = await loadOffsiteSettings(backup.stackId).catch(() => null);
  if (!s) return `Off-site object ${backup.offsiteKey} was not deleted: the off-site settings are gone; delete it in the bucket by hand.`;
  const t = createS3Target(s);
  try {
    await deleteObject(t, backup.offsiteKey);
    return null;
  } catch (err) {
    return `Off-site object ${backup.offsiteKey} was not deleted: ${isAppError(err) ? err.message : String(err)} Delete it in the bucket by hand.`;
  } finally {
    t.client.destroy();
  }
}
