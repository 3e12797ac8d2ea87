import "@/server/jobs/testing/test-db";
import { afterAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { getJob, listJobs, readJobLog, waitForJob } from "./queries";
import { subscribeToJob } from "./registry";
import { cancelJob, startJob } from "./runner";
import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import type { JobEvent } from "./types";

const deployer: Actor = { kind: "user", id: null, label: "dev@example.com", role: "DEPLOYER" };
const steps = [
  { key: "pull", label: "Pull image" },
  { key: "start", label: "Start container" },
  { key: "switch", label: "Switch traffic" },
];

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

/** Starts a job whose `run` waits for `release()`, and records every event it publishes. */
async function startRecordedJob(run: Parameters<typeof startJob>[1]) {
  const events: JobEvent[] = [];
  let unsubscribe = () => {};
  const { jobId } = await startJob({ kind: "deploy", title: "Deploy of v1.1.0", stackId: "stack-a", actor: deployer, steps }, (ctx) => {
    unsubscribe = subscribeToJob(ctx.jobId, (e) => events.push(e));
    return run(ctx);
  });
  return { jobId, events, done: () => waitForJob(jobId).finally(() => unsubscribe()) };
}

describe("startJob", () => {
  it("moves through running to succeeded, with step times, progress and the result", async () => {
    const { events, done } = await startRecordedJob(async (ctx) => {
      const digest = await ctx.step("pull", async () => {
        ctx.setStepProgress("pull", 0.5, "12.3 MB / 24.6 MB, 1/2 layers");
        await new Promise((r) => setTimeout(r, 20));
        return "sha256:abc";
      });
      ctx.skipStep("start", "already running that tag");
      await ctx.step("switch", () => ctx.log("caddy upstream switched"));
      return { digest };
    });
    const job = await done();
    expect(job.status).toBe("succeeded");
    expect(job.result).toEqual({ digest: "sha256:abc" });
    expect(job.progress).toBe(1);
    expect(job.startedAt).toBeInstanceOf(Date);
    expect(job.endedAt!.getTime()).toBeGreaterThanOrEqual(job.startedAt!.getTime());
    expect(job.steps.map((s) => [s.key, s.status])).toEqual([
      ["pull", "succeeded"],
      ["start", "skipped"],
      ["switch", "succeeded"],
    ]);
    expect(job.steps[0]!.durationMs).toBeGreaterThanOrEqual(15);
    expect(job.steps[1]!.detail).toBe("already running that tag");
    const stepEvents = events.filter((e) => e.type === "step");
    expect(stepEvents.some((e) => e.steps[0]!.detail === "12.3 MB / 24.6 MB, 1/2 layers" && e.steps[0]!.progress === 0.5)).toBe(true);
    const statuses = events.filter((e) => e.type === "status").map((e) => e.status);
    expect(statuses.at(-1)).toBe("succeeded");
    expect(events.at(-1)).toEqual({ type: "end" });
  });

  it("fails with the AppError's message as-is and marks the current step failed", async () => {
    const { done } = await startRecordedJob(async (ctx) => {
      await ctx.step("pull", () => undefined);
      await ctx.step("start", () => {
        throw new AppError("REMOTE_FAILED", "Container pxlfox-app-blue on app-1 exited with code 1. Check its log below.");
      });
      await ctx.step("switch", () => undefined);
    });
    const job = await done();
    expect(job.status).toBe("failed");
    expect(job.error).toBe("Container pxlfox-app-blue on app-1 exited with code 1. Check its log below.");
    expect(job.steps.map((s) => s.status)).toEqual(["succeeded", "failed", "pending"]);
    expect(job.steps[1]!.detail).toBe(job.error);
    const log = await readJobLog(job.id);
    expect(log.at(-1)).toMatchObject({ level: "error", text: job.error });
  });

  it("hides an unknown error's detail behind a generic message, logged server-side", async () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    const { done } = await startRecordedJob(async () => {
      throw new TypeError("cannot read properties of undefined (reading 'Id')");
    });
    const job = await done();
    expect(job.status).toBe("failed");
    expect(job.error).toBe("Internal error: see the panel's log");
    expect(consoleError.mock.calls.flat().join(" ")).toContain("reading 'Id'");
    consoleError.mockRestore();
  });

  it("stores progress updates at most ~4 times a second but tells viewers of each one", async () => {
    const update = vi.spyOn(db.job, "update");
    const started = Date.now();
    const { events, done } = await startRecordedJob(async (ctx) => {
      await ctx.step("pull", async () => {
        for (let i = 1; i <= 100; i++) {
          ctx.setStepProgress("pull", i / 100, `${i}/100`);
          await new Promise((r) => setTimeout(r, 3));
        }
      });
    });
    await done();
    const progressEvents = events.filter((e) => e.type === "step" && e.steps[0]!.status === "running" && e.steps[0]!.progress !== null);
    expect(progressEvents).toHaveLength(100);
    // Running, 2 step transitions and the end, plus at most one throttled save per 250 ms.
    const allowedSaves = Math.ceil((Date.now() - started) / 250) + 1;
    expect(update.mock.calls.length).toBeLessThanOrEqual(4 + allowedSaves);
    expect(update.mock.calls.length).toBeLessThan(4 + 100);
    update.mockRestore();
  });
});

describe("job log", () => {
  it("numbers lines in call order under concurrent logging, batching the inserts", async () => {
    const createMany = vi.spyOn(db.jobLogLine, "createMany");
    const { jobId, events, done } = await startRecordedJob(async (ctx) => {
      await Promise.all(
        [0, 1, 2, 3, 4].map(async (worker) => {
          for (let i = 0; i < 300; i++) {
            ctx.log(`worker ${worker} line ${i}`, worker % 2 ? "stdout" : "stderr");
            if (i % 7 === worker) await new Promise((r) => setTimeout(r, 1));
          }
        }),
      );
    });
    await done();
    const lines: { seq: number; text: string }[] = [];
    for (let after = 0; ;) {
      const page = await readJobLog(jobId, after, 400);
      if (page.length === 0) break;
      lines.push(...page);
      after = page.at(-1)!.seq;
    }
    expect(lines).toHaveLength(1500);
    expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));
    const live = events.filter((e) => e.type === "log");
    expect(lines.map((l) => l.text)).toEqual(live.map((e) => e.text));
    for (let w = 0; w < 5; w++) {
      const own = lines.filter((l) => l.text.startsWith(`worker ${w} `)).map((l) => Number(l.text.split(" ").at(-1)));
      expect(own).toEqual(Array.from({ length: 300 }, (_, i) => i));
    }
    expect(createMany.mock.calls.length).toBeLessThan(100);
    createMany.mockRestore();
  });

  it("redacts registered secrets and secret-shaped text, one entry per line", async () => {
    const { jobId, done } = await startRecordedJob(async (ctx) => {
      ctx.addSecret("s3cr3t-registry-pass");
      ctx.log("login with s3cr3t-registry-pass\nMYSQL_PASSWORD=hunter22 ok");
    });
    await done();
    const texts = (await readJobLog(jobId)).map((l) => l.text);
    expect(texts).toEqual(["login with [REDACTED]", "MYSQL_PASSWORD=[REDACTED] ok"]);
  });

  it("resumes reading after a seq", async () => {
    const { jobId, done } = await startRecordedJob(async (ctx) => {
      for (let i = 1; i <= 10; i++) ctx.log(`line ${i}`);
    });
    await done();
    const rest = await readJobLog(jobId, 7, 100);
    expect(rest.map((l) => [l.seq, l.text])).toEqual([
      [8, "line 8"],
      [9, "line 9"],
      [10, "line 10"],
    ]);
    expect(await readJobLog(jobId, 10)).toEqual([]);
  });
});

describe("cancelJob", () => {
  it("aborts the signal, runs cleanup hooks, ends cancelled and audits who cancelled", async () => {
    let seenSignal: AbortSignal | undefined;
    const cleanup = vi.fn();
    const { jobId, done } = await startRecordedJob(async (ctx) => {
      seenSignal = ctx.signal;
      ctx.onCancel(cleanup);
      await ctx.step(
        "pull",
        () => new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("stream destroyed")))),
      );
    });
    await vi.waitFor(() => expect(seenSignal).toBeDefined());
    await cancelJob(jobId, deployer);
    const job = await done();
    expect(seenSignal!.aborted).toBe(true);
    expect(cleanup).toHaveBeenCalledOnce();
    expect(job).toMatchObject({ status: "cancelled", error: "Cancelled by dev@example.com", cancelRequested: true });
    expect(job.steps[0]!.status).toBe("cancelled");
    const audit = await db.auditEvent.findFirst({ where: { action: "job.cancel", target: `job:${jobId}` } });
    expect(audit?.actorLabel).toBe("dev@example.com");
    await expect(cancelJob(jobId, deployer)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("ends cancelled even when run returns normally after the abort", async () => {
    const { jobId, done } = await startRecordedJob(async (ctx) => {
      await new Promise((r) => ctx.signal.addEventListener("abort", r));
      return { finished: true };
    });
    await vi.waitFor(async () => expect((await getJob(jobId)).status).toBe("running"));
    await cancelJob(jobId, deployer);
    expect((await done()).status).toBe("cancelled");
  });

  it("refuses an unknown job", async () => {
    await expect(cancelJob("nope", deployer)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("listJobs", () => {
  it("lists newest first, filtered by stack", async () => {
    await startJob({ kind: "backup", title: "Backup", stackId: "stack-b", actor: deployer, steps: [] }, async () => undefined);
    const forB = await listJobs({ stackId: "stack-b", limit: 10 });
    expect(forB).toHaveLength(1);
    expect(forB[0]).toMatchObject({ kind: "backup", actorLabel: "dev@example.com" });
    const all = await listJobs({ limit: 100 });
    expect(all.length).toBeGreaterThan(1);
    expect(all[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(all.at(-1)!.createdAt.getTime());
    await waitForJob(forB[0]!.id);
  });
});
