import "@/server/jobs/testing/test-db";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { markInterruptedJobs } from "./interrupted";
import { getJob } from "./queries";
import { removeTestDataDir } from "@/server/jobs/testing/test-db";

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

const runningSteps = JSON.stringify([
  {
    key: "pull",
    label: "Pull",
    status: "succeeded",
    startedAt: "2026-01-01T00:00:00.000Z",
    endedAt: "2026-01-01T00:00:05.000Z",
    durationMs: 5000,
    progress: 1,
    detail: null,
    weight: 1,
  },
  {
    key: "probe",
    label: "Probe",
    status: "running",
    startedAt: "2026-01-01T00:00:05.000Z",
    endedAt: null,
    durationMs: null,
    progress: 0.3,
    detail: null,
    weight: 1,
  },
]);

describe("markInterruptedJobs", () => {
  it("marks stale jobs and their running deployments interrupted, and releases their locks", async () => {
    const base = { kind: "deploy", title: "Deploy of v1.1.0", actorLabel: "alice@example.com" };
    const running = await db.job.create({
      data: { ...base, status: "running", stackId: "s1", steps: runningSteps, startedAt: new Date() },
    });
    const queued = await db.job.create({ data: { ...base, status: "queued", stackId: "s2" } });
    const done = await db.job.create({ data: { ...base, status: "succeeded", stackId: "s3", endedAt: new Date() } });
    await db.deployment.create({ data: { stackId: "s1", jobId: running.id, tag: "v1.1.0", actorLabel: "alice@example.com" } });
    await db.deployment.create({
      data: { stackId: "s3", jobId: done.id, tag: "v1.0.0", status: "succeeded", actorLabel: "alice@example.com" },
    });
    await db.stackLock.createMany({
      data: [
        { stackId: "s1", holderLabel: "alice@example.com", jobId: running.id, purpose: "deploy" },
        { stackId: "s2", holderLabel: "alice@example.com", jobId: queued.id, purpose: "deploy" },
        // A lock whose job already ended: stale too.
        { stackId: "s3", holderLabel: "alice@example.com", jobId: done.id, purpose: "deploy" },
      ],
    });

    const summary = await markInterruptedJobs(new Date("2026-11-28T09:30:00Z"));

    expect(summary).toEqual({ jobs: 2, deployments: 1, locks: 3 });
    const job = await getJob(running.id);
    expect(job.status).toBe("interrupted");
    expect(job.error).toBe("The panel stopped while this job was running (restart at 2026-11-28 09:30:00 UTC)");
    expect(job.endedAt).toEqual(new Date("2026-11-28T09:30:00Z"));
    expect(job.steps.map((s) => s.status)).toEqual(["succeeded", "interrupted"]);
    expect((await getJob(queued.id)).status).toBe("interrupted");
    expect((await getJob(done.id)).status).toBe("succeeded");
    const deployments = await db.deployment.findMany({ orderBy: { tag: "desc" } });
    expect(deployments.map((d) => [d.tag, d.status])).toEqual([
      ["v1.1.0", "interrupted"],
      ["v1.0.0", "succeeded"],
    ]);
    expect(await db.stackLock.count()).toBe(0);
    expect(await markInterruptedJobs()).toEqual({ jobs: 0, deployments: 0, locks: 0 });
  });
});
