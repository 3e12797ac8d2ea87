import type { SecurityAuditRun } from "@prisma/client";
import { db } from "@/server/db";
import type { AuditChange, HostAuditResult } from "@/server/domain/security-audit";
import { getStackRow } from "@/server/services/inventory/stacks";
import { listAcceptedRisks } from "./accepted-risks";
import type { AuditRunSummary, SecurityLight, SecurityOverview } from "./views";

const HISTORY = 30;

export const toRunSummary = (r: SecurityAuditRun): AuditRunSummary => ({
  id: r.id,
  trigger: r.trigger,
  jobId: r.jobId,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
  score: r.score,
  passed: r.passed,
  failed: r.failed,
  unknown: r.unknown,
});

export async function latestFinishedRun(stackId: string): Promise<SecurityAuditRun | null> {
  return db.securityAuditRun.findFirst({ where: { stackId, finishedAt: { not: null } }, orderBy: { startedAt: "desc" } });
}

/** The audit page: the newest run with its evidence, the history, a run in progress and the accepted risks. */
export async function securityOverview(stackRef: string): Promise<SecurityOverview> {
  const stack = await getStackRow(stackRef);
  const [latest, history, running, acceptedRisks] = await Promise.all([
    latestFinishedRun(stack.id),
    db.securityAuditRun.findMany({ where: { stackId: stack.id }, orderBy: { startedAt: "desc" }, take: HISTORY }),
    db.securityAuditRun.findFirst({ where: { stackId: stack.id, finishedAt: null }, orderBy: { startedAt: "desc" } }),
    listAcceptedRisks(stack.id),
  ]);
  return {
    stack: stack.name,
    latest: latest
      ? {
          ...toRunSummary(latest),
          results: JSON.parse(latest.results) as HostAuditResult[],
          changes: JSON.parse(latest.changes) as AuditChange[],
        }
      : null,
    history: history.map(toRunSummary),
    runningJobId: running?.jobId ?? null,
    acceptedRisks,
  };
}

/** The dashboard's light per stack: the newest finished run's score. */
export async function securityLights(): Promise<SecurityLight[]> {
  const stacks = await db.stack.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
  return Promise.all(
    stacks.map(async (s) => {
      const r = await latestFinishedRun(s.id);
      return { stack: s.name, score: r?.score ?? null, failed: r?.failed ?? 0, unknown: r?.unknown ?? 0, at: r?.finishedAt ?? null };
    }),
  );
}
