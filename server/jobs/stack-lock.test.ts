import "@/server/jobs/testing/test-db";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { waitForJob } from "./queries";
import { acquireStackLock, getStackLock, releaseStackLock, startLockedJob } from "./stack-lock";
import { removeTestDataDir } from "@/server/jobs/testing/test-db";

const alice: Actor = { kind: "user", id: null, label: "alice@example.com", role: "DEPLOYER" };
const ci: Actor = { kind: "token", id: null, label: "token:ci-deploy", role: "DEPLOYER" };

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

function gate() {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const deployInput = (stackId: string, actor: Actor) => ({ kind: "deploy", title: "Deploy of v1.1.0", stackId, actor, steps: [] });

describe("startLockedJob", () => {
  it("refuses a second deploy of the stack, naming the holder, and leaves no job behind", async () => {
    const release = gate();
    const { jobId } = await startLockedJob(deployInput("s-clash", alice), () => release.promise);
    const before = await db.job.count();
    const error = await startLockedJob(deployInput("s-clash", ci), async () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CONFLICT");
    expect((error as AppError).message).toMatch(
      new RegExp(
        `^A deploy of this stack is already running: started by alice@example\\.com at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\(job ${jobId}\\)\\. Wait for it or cancel it\\.$`,
      ),
    );
    expect((error as AppError).data).toMatchObject({ holder: "alice@example.com", jobId });
    expect(await db.job.count()).toBe(before);
    release.open();
    await waitForJob(jobId);
  });

  it("releases the lock when the job fails", async () => {
    const { jobId } = await startLockedJob(deployInput("s-fail", alice), async () => {
      expect(await getStackLock("s-fail")).toMatchObject({ jobId, holderLabel: "alice@example.com", purpose: "deploy" });
      throw new AppError("REMOTE_FAILED", "The new container did not answer /api/v1/ping");
    });
    const job = await waitForJob(jobId);
    expect(job.status).toBe("failed");
    expect(await getStackLock("s-fail")).toBeNull();
    const next = await startLockedJob(deployInput("s-fail", ci), async () => "ok");
    expect((await waitForJob(next.jobId)).status).toBe("succeeded");
    expect(await getStackLock("s-fail")).toBeNull();
  });

  it("waits for the holder when asked to, then runs", async () => {
    const release = gate();
    const first = await startLockedJob(deployInput("s-wait", alice), () => release.promise);
    setTimeout(release.open, 300);
    const second = await startLockedJob({ ...deployInput("s-wait", ci), purpose: "rollback", waitMs: 5_000 }, async () => undefined);
    expect((await waitForJob(first.jobId)).status).toBe("succeeded");
    expect((await waitForJob(second.jobId)).status).toBe("succeeded");
  });

  it("gives up after waitMs with the clash message", async () => {
    const release = gate();
    const first = await startLockedJob({ ...deployInput("s-timeout", alice), purpose: "rollback" }, () => release.promise);
    const started = Date.now();
    await expect(startLockedJob(deployInput("s-timeout", ci), async () => undefined, { waitMs: 400 })).rejects.toThrow(
      /A rollback of this stack is already running: started by alice@example\.com/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    release.open();
    await waitForJob(first.jobId);
  });
});

describe("acquireStackLock", () => {
  it("lets exactly one of many racing callers win", async () => {
    const results = await Promise.allSettled(
      ["j1", "j2", "j3", "j4", "j5"].map((jobId) => acquireStackLock({ stackId: "s-race", actor: alice, jobId, purpose: "deploy" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const holder = await getStackLock("s-race");
    expect(await releaseStackLock("s-race", "someone-else")).toBe(false);
    expect(await releaseStackLock("s-race", holder!.jobId)).toBe(true);
    expect(await getStackLock("s-race")).toBeNull();
  });
});
