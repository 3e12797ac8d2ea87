import { db } from "@/server/db";
import { getStackRow } from "@/server/services/inventory/stacks";

export interface DeploymentView {
  id: string;
  jobId: string;
  kind: string;
  tag: string;
  digest: string | null;
  previousTag: string | null;
  status: string;
  actorLabel: string;
  startedAt: Date;
  endedAt: Date | null;
  durationMs: number | null;
  error: string | null;
  evidence: Record<string, unknown>;
}

type Row = Awaited<ReturnType<typeof db.deployment.findFirstOrThrow>>;

function toView(d: Row): DeploymentView {
  return {
    id: d.id,
    jobId: d.jobId,
    kind: d.kind,
    tag: d.tag,
    digest: d.digest,
    previousTag: d.previousTag,
    status: d.status,
    actorLabel: d.actorLabel,
    startedAt: d.startedAt,
    endedAt: d.endedAt,
    durationMs: d.durationMs,
    error: d.error,
    evidence: JSON.parse(d.evidence) as Record<string, unknown>,
  };
}

/** Deployment history of a stack, newest first. */
export async function listDeployments(stack: string, limit = 50): Promise<DeploymentView[]> {
  const s = await getStackRow(stack);
  const rows = await db.deployment.findMany({ where: { stackId: s.id }, orderBy: { startedAt: "desc" }, take: Math.min(limit, 200) });
  return rows.map(toView);
}

export async function getDeploymentByJob(jobId: string): Promise<DeploymentView | null> {
  const d = await db.deployment.findUnique({ where: { jobId } });
  return d ? toView(d) : null;
}
