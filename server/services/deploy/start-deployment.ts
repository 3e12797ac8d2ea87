import { randomUUID } from "node:crypto";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { imageReference } from "@/server/domain/deploy";
import { startLockedJob } from "@/server/jobs/stack-lock";
import type { JobContext } from "@/server/jobs/types";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import { assertDatabaseClean } from "@/server/services/migrations/migrations";
import { redactStringLeaves } from "@/server/redact-literals";
import { stackRedactor } from "@/server/services/secrets/stack-secrets";
import { buildDeployPlan } from "./plan";
import { createDeployPorts, type DeployPorts } from "./ports";
import { deploySteps, errorMessage, runDeployment, type DeployEvidence } from "./run-deployment";

export interface StartDeploymentInput {
  stack: string;
  tag: string;
  kind?: "deploy" | "rollback";
  /** Wait this long for a running deploy to finish instead of failing at once. */
  waitMs?: number;
  rollbackOf?: string;
}

/**
 * Starts a deploy (or rollback) of `tag` as a locked job and returns at once with its ids. The lock
 * (one deploy per stack) is taken before anything runs; a clash is a CONFLICT naming the holder.
 */
export async function startDeployment(
  input: StartDeploymentInput,
  actor: Actor,
  ports: DeployPorts = createDeployPorts(),
): Promise<{ jobId: string; deploymentId: string }> {
  const stack = await getStackRow(input.stack);
  const plan = await buildDeployPlan(stack);
  const kind = input.kind ?? "deploy";
  const deploymentId = randomUUID().replace(/-/g, "");
  const image = imageReference(stack.imageRepository, input.tag);
  const previous = await db.deployment.findFirst({ where: { stackId: stack.id, status: "succeeded" }, orderBy: { startedAt: "desc" } });
  let markCreated: () => void = () => undefined;
  const created = new Promise<void>((resolve) => (markCreated = resolve));

  const run = async (job: JobContext) => {
    const started = Date.now();
    const evidence: DeployEvidence = { hosts: [] };
    try {
      await db.deployment.create({
        data: {
          id: deploymentId,
          stackId: stack.id,
          jobId: job.jobId,
          kind,
          tag: input.tag,
          previousTag: previous?.tag ?? null,
          previousDeploymentId: previous?.id ?? null,
          actorLabel: actor.label,
        },
      });
    } finally {
      markCreated();
    }
    if (plan.auth) job.addSecret(plan.auth.password);
    job.log(
      `${kind === "rollback" ? "Rolling back" : "Deploying"} ${stack.name} to ${image} on ${plan.apps.map((a) => a.target.name).join(", ")}`,
    );
    try {
      await runDeployment(
        job,
        plan,
        { image, tag: input.tag, deploymentId, reuseTag: kind === "rollback" ? input.tag : undefined },
        evidence,
        ports,
        actor.label,
      );
      const previousTag = evidence.hosts[0]?.previous?.tag ?? previous?.tag ?? null;
      await finishDeployment({ id: deploymentId, stackId: stack.id, status: "succeeded", started, evidence, error: null, previousTag });
      await recordAuditEvent(actor, {
        action: `${kind}.succeeded`,
        target: `${stack.name}:${input.tag}`,
        details: { deploymentId, jobId: job.jobId },
      });
      return { deploymentId, tag: input.tag, upstreams: evidence.upstreams };
    } catch (err) {
      const status = job.signal.aborted ? "cancelled" : "failed";
      await finishDeployment({
        id: deploymentId,
        stackId: stack.id,
        status,
        started,
        evidence,
        error: errorMessage(err),
        previousTag: evidence.hosts[0]?.previous?.tag ?? previous?.tag ?? null,
        secrets: [plan.auth?.password],
      });
      await recordAuditEvent(actor, {
        action: `${kind}.${status}`,
        target: `${stack.name}:${input.tag}`,
        ok: false,
        details: { deploymentId, jobId: job.jobId, error: errorMessage(err) },
      });
      throw err;
    }
  };

  await assertDatabaseClean(stack); // refuses while a migration left the db dirty; no-op without a db service
  const { jobId } = await startLockedJob(
    {
      kind,
      title: `${kind === "rollback" ? "Rollback" : "Deploy"} of ${stack.name} to ${input.tag}`,
      stackId: stack.id,
      actor,
      steps: deploySteps(plan),
      purpose: kind,
      waitMs: input.waitMs,
    },
    run,
  );
  await created;
  await recordAuditEvent(actor, {
    action: `${kind}.start`,
    target: `${stack.name}:${input.tag}`,
    details: { deploymentId, jobId, rollbackOf: input.rollbackOf },
  });
  return { jobId, deploymentId };
}

interface FinishedDeployment {
  id: string;
  stackId: string;
  status: string;
  started: number;
  evidence: DeployEvidence;
  error: string | null;
  previousTag: string | null;
  /** The job's own secrets (the registry password it pulled with). */
  secrets?: (string | null | undefined)[];
}

/**
 * Stores the outcome. Security: the error and every string of the evidence (the failed container's last
 * lines, which a broken app may fill with its env; probe answers) are redacted with every secret the
 * panel holds for the stack before they are stored: viewers read them in the history.
 */
async function finishDeployment(d: FinishedDeployment) {
  const clean = await stackRedactor(d.stackId, d.secrets);
  await db.deployment.update({
    where: { id: d.id },
    data: {
      status: d.status,
      endedAt: new Date(),
      durationMs: Date.now() - d.started,
      error: d.error === null ? null : clean(d.error),
      evidence: JSON.stringify(redactStringLeaves(d.evidence, clean)),
      digest: d.evidence.digest ?? null,
      previousTag: d.previousTag,
    },
  });
}

/**
 * Rolls back to a chosen successful deployment, or by default to the one before the current: the
 * retained container is started when it still exists, else the tag is deployed; same health gate.
 */
export async function startRollback(input: { stack: string; deploymentId?: string; waitMs?: number }, actor: Actor) {
  const stack = await getStackRow(input.stack);
  const tag = await resolveRollbackTag(stack.id, input.deploymentId);
  return startDeployment({ stack: stack.name, tag, kind: "rollback", waitMs: input.waitMs, rollbackOf: input.deploymentId }, actor);
}

async function resolveRollbackTag(stackId: string, deploymentId?: string): Promise<string> {
  if (deploymentId) {
    const d = await db.deployment.findUnique({ where: { id: deploymentId } });
    if (!d || d.stackId !== stackId)
      throw new AppError("NOT_FOUND", "Deployment not found in this stack", { data: { field: "deploymentId" } });
    if (d.status !== "succeeded")
      throw new AppError("BAD_REQUEST", `Deployment of ${d.tag} did not succeed (${d.status}): roll back to a successful one`, {
        data: { field: "deploymentId" },
      });
    return d.tag;
  }
  const good = await db.deployment.findMany({ where: { stackId, status: "succeeded" }, orderBy: { startedAt: "desc" }, take: 20 });
  const current = good[0];
  if (!current) throw new AppError("PRECONDITION_FAILED", "No successful deployment yet: there is nothing to roll back to");
  const before = good.find((d) => d.tag !== current.tag);
  const tag = before?.tag ?? current.previousTag;
  if (!tag || tag === current.tag)
    throw new AppError("PRECONDITION_FAILED", `No earlier version than ${current.tag} is known: deploy a tag instead`);
  return tag;
}
