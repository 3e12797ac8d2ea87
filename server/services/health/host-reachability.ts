import { db } from "@/server/db";
import type { CheckResult } from "./types";

/**
 * Each sweep's host checks become the hosts' "last check" (the same fields "Test connection" sets),
 * so the host list never says "not checked" about a host the monitor reached seconds ago, nor "ok"
 * about one it could not reach. Reachable means the SSH checks ran; disk or load warnings are the
 * dashboard's business, not the connection's. A changed host key is recorded on the host.
 */
export async function recordHostReachability(checks: CheckResult[]): Promise<void> {
  for (const c of checks) {
    if (c.kind !== "host" || !c.hostId) continue;
    const reachable = c.status !== "down";
    // A key the host presented and the pin refused puts the host in the loud CHANGED state, as
    // "Test connection" does: every later call refuses it up front until an admin re-pins.
    const presented = c.failure?.code === "HOST_KEY_MISMATCH" ? c.failure.presented : undefined;
    await db.host.updateMany({
      where: { id: c.hostId },
      data: {
        lastCheckAt: new Date(c.checkedAt),
        lastCheckOk: reachable,
        lastError: reachable ? null : (c.failure?.message ?? c.reason),
        ...(presented ? { hostKeyState: "CHANGED", presentedFingerprint: presented } : {}),
      },
    });
  }
}
