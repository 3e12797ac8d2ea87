import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, PlaywrightWorkerArgs } from "@playwright/test";
import { fleetStatus } from "../support/fleet";
import { OwnPanel } from "../support/own-panel";
import { servedVersion } from "../support/traffic";
import { waitForJobEnd, type EndedJob } from "../support/jobs";
import { trpcMutation, trpcQuery } from "../support/trpc";
import type { Backup } from "../4-database/fault-fixtures";

/** Deploy settings whose health gate holds the candidate for `startPeriodMs`: long enough to break something there. */
export const gateHolding = (startPeriodMs: number) => ({
  healthStartPeriodMs: startPeriodMs,
  healthAttempts: 3,
  healthIntervalMs: 500,
  healthTimeoutMs: 1000,
  drainMs: 500,
});

/**
 * The fault suite's panel: a process of its own (own store, own port) that a scenario may SIGKILL
 * and start again, with the fleet imported and an admin API token for tRPC and REST calls.
 */
export class FaultPanel extends OwnPanel {
  token = "";
  api!: APIRequestContext;

  async setUp(playwright: PlaywrightWorkerArgs["playwright"], deploySettings?: Record<string, number>) {
    this.prepare();
    this.cli(["fleet", "import"]);
    if (deploySettings) this.cli(["stack", "deploy-settings", "--name", "pixelfox", "--json", JSON.stringify(deploySettings)]);
    this.token = this.cli(["token", "create", "--name", "faults", "--role", "admin"]).trim().split("\n").pop() ?? "";
    this.api = await playwright.request.newContext({ baseURL: this.url, extraHTTPHeaders: { authorization: `Bearer ${this.token}` } });
    await this.start();
  }

  async tearDown() {
    this.kill();
    await this.api?.dispose();
  }

  /** SIGKILL, then a fresh start on the same store (what a crash and a supervisor restart do). */
  async crashAndRestart() {
    this.kill();
    await this.start();
  }

  job(id: string): Promise<EndedJob & { error: string | null }> {
    return this.api.get(`/api/v1/jobs/${id}`).then((r) => r.json() as Promise<EndedJob>);
  }

  waitForJobEnd(id: string, timeoutMs = 120_000) {
    return waitForJobEnd(this.api, id, { timeoutMs });
  }

  /** Polls the job until `step` runs (or the job ended: then throws, naming its status). */
  async waitForStep(jobId: string, step: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.job(jobId);
      if (job.steps.find((s) => s.key === step)?.status === "running") return;
      if (!["queued", "running"].includes(job.status))
        throw new Error(`job ${jobId} ended ${job.status} before step ${step} ran: ${job.error}`);
      if (Date.now() > deadline) throw new Error(`step ${step} of job ${jobId} did not start within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Files in this panel's backup store. */
  backupFiles(): string[] {
    try {
      return readdirSync(path.join(this.dataDir, "backups"));
    } catch {
      return [];
    }
  }

  /** Waits until the backup's file in the store holds at least `bytes` (the dump is streaming). */
  async waitForBackupBytes(backupId: string, bytes = 256 * 1024): Promise<number> {
    return until(`${bytes} bytes of ${backupId} in the store`, () => {
      const file = this.backupFiles().find((f) => f.startsWith(backupId));
      const size = file ? statSync(path.join(this.dataDir, "backups", file)).size : 0;
      return size >= bytes ? size : undefined;
    });
  }

  /** Starts a deploy of `tag` through the REST API (it must be accepted: 202); returns the job id. */
  async deploy(tag: string): Promise<string> {
    const res = await this.api.post("/api/v1/stacks/pixelfox/deployments", { data: { tag } });
    if (res.status() !== 202) throw new Error(`deploy of ${tag}: HTTP ${res.status()} ${await res.text()}`);
    return ((await res.json()) as { jobId: string }).jobId;
  }

  backups(): Promise<Backup[]> {
    return trpcQuery<Backup[]>(this.api, "backups.list", { stack: "pixelfox" });
  }

  /** Starts a database backup and returns once its dump streams into the store (`bytes` written). */
  async startStreamingBackup(bytes?: number): Promise<{ jobId: string; backup: Backup; size: number }> {
    const { jobId } = await trpcMutation<{ jobId: string }>(this.api, "backups.create", { stack: "pixelfox" });
    await this.waitForStep(jobId, "dump");
    const backup = await until("the backup row", async () => (await this.backups()).find((b) => b.jobId === jobId));
    const size = await this.waitForBackupBytes(backup.id, bytes);
    return { jobId, backup, size };
  }

  lock(): Promise<unknown> {
    return trpcQuery(this.api, "deploy.lock", { stack: "pixelfox" });
  }
}

/** The stack's ping URL, the version serving now, and the other healthy one to deploy (`localAddress`: see startTraffic). */
export async function versionsToDeploy(localAddress?: string): Promise<{ pingUrl: string; before: string; target: string }> {
  const pingUrl = `${fleetStatus().stack.publicDomain}/api/v1/ping`;
  const before = (await servedVersion(pingUrl, localAddress)) ?? "none";
  return { pingUrl, before, target: before === "v1.1.0" ? "v1.0.0" : "v1.1.0" };
}

/** Polls `fn` until it returns something other than undefined. */
export async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
