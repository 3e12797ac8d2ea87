import { normalizeFingerprint } from "@/server/adapters/ssh/fingerprint";
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
    await db.host.updateMany({
      where: { id: c.hostId },
      data: { lastCheckAt: new Date(c.checkedAt), lastCheckOk: reachable, lastError: reachable ? null : (c.failure?.message ?? c.reason) },
    });
    // A key the host presented and the pin refused puts the host in the loud CHANGED state, as
    // "Test connection" does: every later call refuses it up front until an admin re-pins. Only
    // while the pin is still the one the sweep checked against: an admin may have re-pinned since.
    const f = c.failure;
    if (f?.code === "HOST_KEY_MISMATCH" && f.presented && f.expected) {
      const host = await db.host.findUnique({ where: { id: c.hostId }, select: { hostKeyFingerprint: true } });
      if (host?.hostKeyFingerprint && normalizeFingerprint(host.hostKeyFingerprint) === f.expected) {
        await db.host.updateMany({
          where: { id: c.hostId, hostKeyFingerprint: host.hostKeyFingerprint },
          data: { hostKeyState: "CHANGED", presentedFingerprint: f.presented },
        });
      }
    }
  }
}
