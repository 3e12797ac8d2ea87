import { db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { SCHEDULER_ACTOR } from "@/server/services/schedules/schedule-runs";
import { startSecurityAudit } from "./start-audit";

/** PANEL_AUDIT_EVERY_HOURS (default 24: the "every day"); 0 turns the scheduled audit off. */
export function auditEveryHours(env: Record<string, string | undefined> = process.env): number {
  const raw = env.PANEL_AUDIT_EVERY_HOURS;
  if (raw === undefined || raw === "") return 24;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : 24;
}

/** Stacks whose newest audit started more than `everyHours` ago (or never): they are due. */
export function dueStacks(
  stacks: readonly { id: string; name: string }[],
  lastStarted: ReadonlyMap<string, Date>,
  now: Date,
  everyHours: number,
): { id: string; name: string }[] {
  if (everyHours <= 0) return [];
  return stacks.filter((s) => {
    const last = lastStarted.get(s.id);
    return !last || now.getTime() - last.getTime() >= everyHours * 3_600_000;
  });
}

/** One scheduler tick: starts the audit of every due stack that has services (as the scheduler; never throws). */
export async function runDueAudits(now = new Date(), everyHours = auditEveryHours()): Promise<string[]> {
  if (everyHours <= 0) return [];
  const stacks = await db.stack.findMany({ where: { services: { some: {} } }, select: { id: true, name: true } });
  const runs = await db.securityAuditRun.groupBy({ by: ["stackId"], _max: { startedAt: true } });
  const last = new Map(runs.flatMap((r) => (r._max.startedAt ? [[r.stackId, r._max.startedAt] as const] : [])));
  const started: string[] = [];
  for (const s of dueStacks(stacks, last, now, everyHours)) {
    try {
      await startSecurityAudit(s.name, SCHEDULER_ACTOR, "schedule");
      started.push(s.name);
    } catch (err) {
      console.warn(`[audit] scheduled audit of ${s.name} not started: ${isAppError(err) ? err.message : String(err)}`);
    }
  }
  return started;
}
