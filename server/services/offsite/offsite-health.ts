import type { Backup } from "@prisma/client";
import { db } from "@/server/db";

/**
 * The off-site part of backup health. Green ("ok") only when the newest good backup was uploaded and
 * verified; "failed" (red) when its copy failed; "pending" (amber) while it is not copied yet;
 * "off" (grey) when no off-site storage is enabled.
 */
export interface OffsiteHealth {
  state: "off" | "ok" | "pending" | "failed";
  endpoint: string | null;
  bucket: string | null;
  /** The newest good backup this state is about. */
  backupId: string | null;
  /** When it was uploaded (ok) or when the copy failed. */
  at: Date | null;
  error: string | null;
}

/** Off-site health of a stack, judged on its newest good, verified backup. */
export async function getOffsiteHealth(stackId: string, newestGood: Backup | null): Promise<OffsiteHealth> {
  const s = await db.offsiteStorage.findUnique({ where: { stackId } });
  if (!s?.enabled) return { state: "off", endpoint: s?.endpoint ?? null, bucket: s?.bucket ?? null, backupId: null, at: null, error: null };
  const base = { endpoint: s.endpoint, bucket: s.bucket, backupId: newestGood?.id ?? null };
  if (!newestGood) return { ...base, state: "pending", at: null, error: "No good backup yet to copy off-site." };
  if (newestGood.offsiteStatus === "uploaded") return { ...base, state: "ok", at: newestGood.offsiteAt, error: null };
  if (newestGood.offsiteStatus === "failed") return { ...base, state: "failed", at: newestGood.offsiteAt, error: newestGood.offsiteError };
  const why =
    newestGood.offsiteStatus === "pending"
      ? "Its off-site copy is running."
      : "It has not been copied off-site (taken before off-site storage was enabled?): press Retry on it.";
  return { ...base, state: "pending", at: null, error: `The newest good backup is not off-site yet. ${why}` };
}
