import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { faultScenario } from "../support/fault-table";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { useScratchDatabase } from "../4-database/fault-fixtures";
import { FaultPanel } from "./fault-panel";

// The disk holding the panel's store fills up while a job runs.

test.describe.configure({ mode: "serial" });

const DIR = "/tmp/pxf-e2e-faults-full";
const FILLER = `${DIR}/filler`;
const panel = new FaultPanel(3205, DIR);

const isMounted = () =>
  readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .some((l) => l.split(" ")[1] === DIR);

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  mkdirSync(DIR, { recursive: true });
  if (!isMounted()) execFileSync("mount", ["-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs", DIR]);
  await panel.setUp(playwright);
});
test.afterAll(async () => {
  await panel.tearDown();
  // Lazily: the killed panel's processes may take a moment to let go of their files.
  if (isMounted()) execFileSync("umount", ["-l", DIR]);
});

/** Fills the store's file system to the last byte (as a runaway log on the same disk would). */
function fillDisk(): number {
  const fd = openSync(FILLER, "a");
  const chunk = Buffer.alloc(1024 * 1024, 1);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
    for (let size = 512 * 1024; size >= 1; size = Math.floor(size / 2)) {
      try {
        for (;;) written += writeSync(fd, chunk.subarray(0, size));
      } catch {
        /* smaller pieces next */
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

faultScenario(
  "the panel's store disk full during a backup",
  "the job fails with the reason (disk full), no partial file, nothing counts as good; a job started while full is refused saying why; the store stays readable, and works again once space is freed",
  async (_args, observe) => {
    test.setTimeout(180_000);
    const scratch = await useScratchDatabase(panel.api, "pxf_fault_full", 400_000);
    try {
      const { jobId, backup } = await panel.startStreamingBackup();
      const filled = fillDisk();
      observe(`store disk filled mid-dump (${Math.round(filled / 1024 / 1024)} MB of filler, 0 bytes free)`);
      const job = await panel.waitForJobEnd(jobId, 60_000);
      expect(job.status).toBe("failed");
      expect(job.error).toMatch(/No space left|full/i);
      observe(`job ${job.status}: "${job.error?.slice(0, 150)}"`);
      const failed = (await panel.backups()).find((b) => b.id === backup.id)!;
      expect(failed.status).not.toBe("good");
      expect(panel.backupFiles().filter((f) => f.startsWith(backup.id))).toEqual([]);
      observe(`backup ${failed.status}, no partial file`);

      // The failed backup's partial file was deleted: fill what that freed, too.
      fillDisk();
      const refused = await panel.api.post("/api/trpc/backups.create", { data: { json: { stack: "pixelfox" } } });
      const body = (await refused.json()) as { error?: { json?: { message?: string } } };
      expect(refused.status()).toBe(500);
      expect(body.error?.json?.message).toMatch(/could not write to its store: the disk holding .* is full/);
      observe(`a backup started while full: refused, "${body.error?.json?.message?.slice(0, 110)}…"`);
      const jobs = await trpcQuery<unknown[] | { items: unknown[] }>(panel.api, "job.list", {});
      expect(Array.isArray(jobs) ? jobs.length : jobs.items.length).toBeGreaterThan(0);
      expect((await panel.backups()).length).toBeGreaterThan(0);
      observe("store readable while full: jobs and backups listed");

      rmSync(FILLER);
    } finally {
      rmSync(FILLER, { force: true });
      await scratch.restore();
    }
    const { jobId: again } = await trpcMutation<{ jobId: string }>(panel.api, "backups.create", { stack: "pixelfox" });
    const ok = await panel.waitForJobEnd(again, 90_000);
    expect(ok.status, ok.error ?? "").toBe("succeeded");
    observe("space freed: the next backup succeeded");
  },
);
