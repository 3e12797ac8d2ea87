import { db } from "@/server/db";
import { listLiveJobIds } from "./registry";
import { closeRunningSteps, parseSteps } from "./steps";

export interface InterruptedSummary {
  jobs: number;
  deployments: number;
  locks: number;
}

/**
 * Run once when the panel starts: a job still queued or running in the store lost its process, so it
 * is marked `interrupted`, its running deployment too, and every stack lock it held is released.
 * Jobs running in this very process (a dev reload) are left alone.
 */
export async function markInterruptedJobs(now = new Date()): Promise<InterruptedSummary> {
  const live = listLiveJobIds();
  const jobs = await db.job.findMany({
    where: { status: { in: ["queued", "running"] }, id: { notIn: live } },
    select: { id: true, steps: true },
  });
  const ids = jobs.map((j) => j.id);
  const error = `The panel stopped while this job was running (restart at ${now.toISOString().slice(0, 19).replace("T", " ")} UTC)`;
  const results = await db.$transaction([
    db.deployment.updateMany({ where: { jobId: { in: ids }, status: "running" }, data: { status: "interrupted", error, endedAt: now } }),
    // Every job not running here is over once this commits, so any lock not held by a live job is
    // stale: the interrupted jobs' locks, and those of jobs already ended or deleted.
    db.stackLock.deleteMany({ where: { jobId: { notIn: live } } }),
    ...jobs.map((job) =>
      db.job.update({
        where: { id: job.id },
        data: { status: "interrupted", error, endedAt: now, steps: JSON.stringify(interruptSteps(job.steps, now)) },
      }),
    ),
  ]);
  const [deployments, locks] = results as unknown as [{ count: number }, { count: number }];
  if (ids.length > 0 || locks.count > 0) {
    console.warn(
      `[jobs] marked ${ids.length} job(s) interrupted, ${deployments.count} deployment(s); released ${locks.count} stack lock(s)`,
    );
  }
  return { jobs: ids.length, deployments: deployments.count, locks: locks.count };
}

function interruptSteps(json: string, now: Date) {
  const steps = parseSteps(json);
  closeRunningSteps(steps, "interrupted", now);
  return steps;
}
