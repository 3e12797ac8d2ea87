import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { Prisma } from "@prisma/client";
import { startJob } from "@/server/jobs";
import type { Actor } from "@/server/services/auth/actor";
import { getStackRow } from "@/server/services/inventory/stacks";
import { createAuditPorts, type AuditPorts } from "./audit-ports";
import { readAuditPlan } from "./audit-plan";
import { runSecurityAudit } from "./run-audit";

/** A run that has not finished after this long was cut short (panel restart): a new one may start. */
const STALE_RUN_MS = 10 * 60_000;

/**
 * Starts the audit of every host of the stack as a job. Read-only on the hosts, so it takes no stack
 * lock (a deploy may run meanwhile); one audit per stack at a time.
 */
export async function startSecurityAudit(
  stackRef: string,
  actor: Actor,
  trigger: "manual" | "schedule" = "manual",
  ports: AuditPorts = createAuditPorts(),
): Promise<{ jobId: string; runId: string }> {
  const stack = await getStackRow(stackRef);
  const plan = await readAuditPlan(stack);
  // A run cut short (panel restart) frees its stack after a while; the unique runningFor makes the
  // check and the start one step, so two clicks never start two audits.
  await db.securityAuditRun.deleteMany({
    where: { stackId: stack.id, finishedAt: null, startedAt: { lte: new Date(Date.now() - STALE_RUN_MS) } },
  });
  let run: { id: string };
  try {
    run = await db.securityAuditRun.create({ data: { stackId: stack.id, trigger, runningFor: stack.id } });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const running = await db.securityAuditRun.findFirst({ where: { runningFor: stack.id } });
    throw new AppError(
      "CONFLICT",
      `An audit of ${stack.name} is already running (job ${running?.jobId ?? "starting"}): wait for it to finish.`,
    );
  }
  const { jobId } = await startJob(
    {
      kind: "security-audit",
      title: `Security audit of ${stack.name}`,
      stackId: stack.id,
      actor,
      steps: [
        { key: "hosts", label: `Read ${plan.hosts.length} host(s)`, weight: 3 },
        { key: "data", label: "Database, cache, app env and TLS", weight: 2 },
        { key: "save", label: "Score, changes and alerts" },
      ],
    },
    async (ctx) => {
      try {
        return await runSecurityAudit(ctx, stack, plan, run.id, ports);
      } catch (err) {
        await db.securityAuditRun.delete({ where: { id: run.id } }).catch(() => undefined);
        throw err;
      }
    },
  );
  await db.securityAuditRun.update({ where: { id: run.id }, data: { jobId } });
  return { jobId, runId: run.id };
}

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
