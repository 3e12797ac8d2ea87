import { expect, test } from "@playwright/test";
import { faultScenario } from "../support/fault-table";
import { killSshd, restartDockerd, restartSshd } from "../support/host-faults";
import { describeTraffic, servedVersion, startTraffic } from "../support/traffic";
import { trpcMutation } from "../support/trpc";
import { startDbContainer } from "../4-database/db-fixtures";
import { useScratchDatabase } from "../4-database/fault-fixtures";
import { gateHolding, FaultPanel, until, versionsToDeploy } from "./fault-panel";

// A host's own daemons failing under the panel: sshd killed, dockerd restarted.

test.describe.configure({ mode: "serial" });

const panel = new FaultPanel(3203, "/tmp/pxf-e2e-faults-daemons");

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  await panel.setUp(playwright, gateHolding(3000));
});
test.afterAll(async () => {
  await restartSshd("app");
  await panel.tearDown();
});

faultScenario(
  "app host's sshd killed mid-deploy, then restarted",
  "the job fails naming the host or completes; the stack serves the old or the new version throughout (never none); the lock is free; the pool reconnects by itself",
  async (_args, observe) => {
    test.setTimeout(240_000);
    const { pingUrl, before, target } = await versionsToDeploy();
    const traffic = startTraffic(pingUrl);
    const jobId = await panel.deploy(target);
    await panel.waitForStep(jobId, "gate:app");
    const killed = killSshd("app");
    observe(`killed app's sshd (${killed} processes) in the health gate`);
    await new Promise((r) => setTimeout(r, 3000));
    await restartSshd("app");
    const job = await panel.waitForJobEnd(jobId);
    const stats = await traffic.stop();
    console.log(describeTraffic("sshd killed mid-deploy", stats));
    expect(["failed", "succeeded"]).toContain(job.status);
    if (job.status === "failed") expect(job.error).toMatch(/app/);
    observe(`job ${job.status}${job.error ? `: ${job.error.slice(0, 140)}` : ""}`);
    expect(stats.failures, stats.errors.slice(0, 3).join("; ")).toBe(0);
    const served = [...stats.versions.keys()].sort();
    expect(served.every((v) => v === before || v === target)).toBe(true);
    observe(`traffic: ${stats.requests} requests, 0 failed, served ${served.join(" and ")}`);
    expect(await panel.lock()).toBeNull();
    // The pool reconnects without help: the next deploy reaches the host and goes through.
    const again = await panel.waitForJobEnd(await panel.deploy(target));
    expect(again.status, again.error ?? "").toBe("succeeded");
    expect(await servedVersion(pingUrl)).toBe(target);
    observe(`lock free; next deploy ${again.status} (the pool reconnected), ${target} serves`);
  },
);

faultScenario(
  "db host's dockerd restarted mid-backup",
  "the backup fails with the reason, no partial file, not counted; the next scheduled backup succeeds",
  async (_args, observe) => {
    test.setTimeout(300_000);
    const scratch = await useScratchDatabase(panel.api, "pxf_fault_dockerd", 400_000);
    let scheduleId = "";
    try {
      const { jobId, backup, size } = await panel.startStreamingBackup();
      await restartDockerd("db");
      observe(`restarted db's dockerd while dumping (${Math.round(size / 1024)} KB written)`);
      const ended = await panel.waitForJobEnd(jobId);
      expect(ended.status).toBe("failed");
      const failed = (await panel.backups()).find((b) => b.id === backup.id)!;
      expect(failed.status).toBe("failed");
      expect(failed.verified).toBe(false);
      expect(failed.error).toMatch(/db/);
      observe(`backup failed: "${failed.error?.slice(0, 160)}"`);
      expect(panel.backupFiles().filter((f) => f.startsWith(backup.id))).toEqual([]);
      observe("no partial file");
      await startDbContainer();
      // A schedule every 10 s: the first run after the restart is taken, verified and kept.
      const since = Date.now();
      const schedule = await trpcMutation<{ id: string }>(panel.api, "schedules.create", {
        stack: "pixelfox",
        kind: "backup",
        cron: "*/10 * * * * *",
        enabled: true,
        keepLast: 10,
        keepDaily: 0,
        keepWeekly: 0,
      });
      scheduleId = schedule.id;
      const good = await until(
        "a scheduled backup that is good",
        async () =>
          (await panel.backups()).find(
            (b) =>
              b.reason === "schedule" &&
              b.status === "good" &&
              Date.parse(String((b as { createdAt?: string }).createdAt ?? 0)) >= since - 1000,
          ),
        90_000,
      );
      expect(good.verified).toBe(true);
      expect(panel.backupFiles()).toContain(`${good.id}.sql.gz`);
      observe(`next scheduled backup: good and verified (${good.id})`);
    } finally {
      if (scheduleId) await trpcMutation(panel.api, "schedules.delete", { id: scheduleId });
      await scratch.restore();
    }
  },
);
