import "@/server/jobs/testing/test-db";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { Actor } from "@/server/services/auth/actor";
import { createCallerFactory } from "@/server/trpc/init";
import { jobRouter } from "@/server/trpc/routers/job";
import { waitForJob } from "./queries";
import { startJob } from "./runner";
import { removeTestDataDir } from "@/server/jobs/testing/test-db";

const viewer: Actor = { kind: "user", id: null, label: "viewer@example.com", role: "VIEWER" };
const deployer: Actor = { kind: "token", id: null, label: "token:ci", role: "DEPLOYER" };
const callerFor = (actor: Actor | null) => createCallerFactory(jobRouter)({ actor });

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

describe("job router", () => {
  it("lets any role read a job and its log, and only DEPLOYER+ cancel it", async () => {
    const { jobId } = await startJob(
      { kind: "deploy", title: "Deploy of v2", actor: deployer, steps: [{ key: "pull", label: "Pull" }] },
      async (ctx) => {
        ctx.log("hello");
        await ctx.step("pull", () => new Promise((resolve) => ctx.signal.addEventListener("abort", resolve)));
      },
    );
    const asViewer = callerFor(viewer);
    await expect(callerFor(null).get({ id: jobId })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await asViewer.get({ id: jobId })).toMatchObject({ id: jobId, title: "Deploy of v2", steps: [{ key: "pull" }] });
    expect((await asViewer.list({ limit: 5 })).map((j) => j.id)).toContain(jobId);
    await expect(asViewer.cancel({ id: jobId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(deployer).cancel({ id: jobId })).resolves.toEqual({ jobId, cancelRequested: true });
    expect((await waitForJob(jobId)).status).toBe("cancelled");
    expect((await asViewer.log({ id: jobId, afterSeq: 0 })).map((l) => l.text)).toEqual([
      "hello",
      "Cancel requested by token:ci",
      "Cancelled by token:ci",
    ]);
    await expect(asViewer.get({ id: "missing" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
