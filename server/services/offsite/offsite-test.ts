import { randomBytes } from "node:crypto";
import { createS3Target } from "@/server/adapters/s3/client";
import { deleteObject, headObject, openObjectStream, putSmallObject } from "@/server/adapters/s3/objects";
import type { S3FailureReason } from "@/server/adapters/s3/types";
import { offsiteKeyFor } from "@/server/domain/offsite";
import { AppError, isAppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import { loadOffsiteSettings } from "./offsite-settings";

export interface OffsiteTestResult {
  ok: boolean;
  endpoint: string;
  bucket: string;
  /** The steps that ran, in order; the last one failed when ok is false. */
  steps: { step: "write" | "read back" | "delete"; ok: boolean; ms: number }[];
  error: string | null;
  reason: S3FailureReason | "mismatch" | null;
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * Writes, reads back and deletes a small object with the saved settings (ADMIN) and reports which
 * step failed and why (endpoint unreachable, credentials refused, bucket missing). Audited.
 */
export async function testOffsiteStorage(stackRef: string, actor: Actor): Promise<OffsiteTestResult> {
  const stack = await getStackRow(stackRef);
  const s = await loadOffsiteSettings(stack.id);
  if (!s) throw new AppError("PRECONDITION_FAILED", "No off-site storage is configured for this stack: save the settings first.");
  const t = createS3Target(s);
  const key = offsiteKeyFor(s.prefix, `.pixelfox-ops-test-${randomBytes(6).toString("hex")}`);
  const body = randomBytes(64);
  const result: OffsiteTestResult = { ok: false, endpoint: s.endpoint, bucket: s.bucket, steps: [], error: null, reason: null };
  const run = async (step: OffsiteTestResult["steps"][number]["step"], fn: () => Promise<void>) => {
    const t0 = Date.now();
    try {
      await fn();
      result.steps.push({ step, ok: true, ms: Date.now() - t0 });
    } catch (err) {
      result.steps.push({ step, ok: false, ms: Date.now() - t0 });
      throw err;
    }
  };
  try {
    await run("write", () => putSmallObject(t, key, body));
    await run("read back", async () => {
      const back = await readAll(await openObjectStream(t, key));
      if (!back.equals(body))
        throw new AppError(
          "REMOTE_FAILED",
          `The object read back from ${s.endpoint} (bucket ${s.bucket}) differs from what was written (${back.length} of ${body.length} bytes).`,
          { data: { reason: "mismatch" } },
        );
    });
    await run("delete", async () => {
      await deleteObject(t, key);
      if (await headObject(t, key))
        throw new AppError(
          "REMOTE_FAILED",
          `The test object ${key} is still in bucket ${s.bucket} after deleting it: the key may lack delete permission.`,
          { data: { reason: "other" } },
        );
    });
    result.ok = true;
  } catch (err) {
    result.error = isAppError(err) ? err.message : `Off-site storage test failed at ${s.endpoint} (bucket ${s.bucket}).`;
    result.reason = (isAppError(err) ? (err.data?.reason as OffsiteTestResult["reason"]) : null) ?? "other";
  } finally {
    t.client.destroy();
  }
  await recordAuditEvent(actor, {
    action: "offsite.test",
    target: stack.name,
    ok: result.ok,
    details: { endpoint: s.endpoint, bucket: s.bucket, error: result.error },
  });
  return result;
}
