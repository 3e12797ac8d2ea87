import { Cron } from "croner";
import { auditEveryHours, runDueAudits } from "@/server/services/security-audit/audit-schedule";

const KEY = Symbol.for("pixelfox.auditScheduler");

/**
 * Starts the scheduled security audit once per server process: every 10 minutes it starts the audit of
 * each stack whose newest run is older than PANEL_AUDIT_EVERY_HOURS (default 24; 0: off).
 */
export function startAuditScheduler(): { stop(): void } | null {
  const g = globalThis as unknown as Record<symbol, { stop(): void } | undefined>;
  if (g[KEY]) return g[KEY];
  if (auditEveryHours() <= 0) return null;
  const tick = new Cron("0 */10 * * * *", { timezone: "UTC", protect: true, unref: true }, async () => {
    await runDueAudits().catch((err: unknown) => console.error("[audit] scheduler tick failed:", err));
  });
  g[KEY] = {
    stop: () => {
      tick.stop();
      g[KEY] = undefined;
    },
  };
  return g[KEY];
}
