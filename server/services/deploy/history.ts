import { db } from "@/server/db";
import { redactStringLeaves } from "@/server/redact-literals";
import { getStackRow } from "@/server/services/inventory/stacks";
import { stackRedactor } from "@/server/services/secrets/stack-secrets";

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

/**
 * Security: the error and evidence are redacted when stored; they are redacted again as they are read, so
 * rows stored before the panel knew a secret (or before this redaction existed) do not show it either.
 */
function toView(d: Row, clean: (text: string) => string): DeploymentView {
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
    error: d.error === null ? null : clean(d.error),
    evidence: redactStringLeaves(JSON.parse(d.evidence) as Record<string, unknown>, clean),
  };
}

/** Deployment history of a stack, newest first. */
export async function listDeployments(stack: string, limit = 50): Promise<DeploymentView[]> {
  const s = await getStackRow(stack);
  const rows = await db.deployment.findMany({ where: { stackId: s.id }, orderBy: { startedAt: "desc" }, take: Math.min(limit, 200) });
  const clean = await stackRedactor(s.id);
  return rows.map((d) => toView(d, clean));
}

export async function getDeploymentByJob(jobId: string): Promise<DeploymentView | null> {
  const d = await db.deployment.findUnique({ where: { jobId } });
  return d ? toView(d, await stackRedactor(d.stackId)) : null;
}
