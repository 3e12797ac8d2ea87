import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import {
  BACKUP_DIR,
  containerProcesses,
  dropPanelSshConnections,
  isSmallDiskMounted,
  listBackups,
  listFiles,
  mountSmallDisk,
  useScratchDatabase,
  type Backup,
} from "./fault-fixtures";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
// The panel process itself (behind the e2e recorder when E2E_PANEL_PORT differs from E2E_PORT).
const PANEL_PORT = Number(process.env.E2E_PANEL_PORT ?? process.env.E2E_PORT ?? 3100);
const SCRATCH = "pxf_fault_ssh_disk";
const DUMPS = /mariadb-dump|mysqldump/;

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
});

async function startBackup(request: APIRequestContext): Promise<string> {
  return (await trpcMutation<{ jobId: string }>(request, "backups.create", { stack: "pixelfox" })).jobId;
}

async function backupOfJob(request: APIRequestContext, jobId: string): Promise<Backup | undefined> {
  return (await listBackups(request)).find((b) => b.jobId === jobId);
}

/** Waits until the job's backup file exists and has bytes in it (the dump is streaming). */
async function waitForStreaming(request: APIRequestContext, jobId: string): Promise<Backup> {
  let backup: Backup | undefined;
  await expect
    .poll(
      async () => {
        backup = await backupOfJob(request, jobId);
        const file = backup ? path.join(BACKUP_DIR, `${backup.id}.sql.gz`) : "";
        return file && existsSync(file) ? statSync(file).size > 0 : false;
      },
      { timeout: 30_000, intervals: [100] },
    )
    .toBe(true);
  return backup!;
}

/** The panel killed what Docker left of the dump (it keeps an exec running after its client is gone). */
async function expectDumpStopped(request: APIRequestContext, jobId: string): Promise<void> {
  const log = await trpcQuery<{ text: string }[]>(request, "job.log", { id: jobId });
  expect(log.map((l) => l.text).join("\n")).toMatch(/Stopped the dump left running in pxlfox-db on db \(process group \d+\)/);
  await expect.poll(() => containerProcesses("db", "pxlfox-db", DUMPS), { timeout: 5_000 }).toEqual([]);
}

async function expectFailedAndShown(page: Page, id: string, reason: RegExp): Promise<Backup> {
  await expect.poll(async () => (await listBackups(page.request)).find((b) => b.id === id)?.status, { timeout: 60_000 }).toBe("failed");
  const failed = (await listBackups(page.request)).find((b) => b.id === id)!;
  expect(failed.verified).toBe(false);
  expect(failed.sha256).toBeNull();
  expect(failed.error).toMatch(reason);
  await page.goto("/database/pixelfox");
  const row = page.getByTestId(`backup-${id}`);
  await expect(row).toContainText("failed");
  await expect(row).not.toContainText("good");
  await expect(row.getByTestId("backup-error")).toContainText(reason);
  await expect(row.getByRole("link", { name: "Download" })).toHaveCount(0);
  return failed;
}

test("cutting the SSH connection mid-backup: failed, names the host and the lost connection, no file, and the pool reconnects", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  const scratch = await useScratchDatabase(page.request, SCRATCH);
  try {
    const jobId = await startBackup(page.request);
    const backup = await waitForStreaming(page.request, jobId);
    expect(await containerProcesses("db", "pxlfox-db", DUMPS)).not.toHaveLength(0);
    expect(dropPanelSshConnections("db", PANEL_PORT).length).toBeGreaterThan(0);

    await expectFailedAndShown(page, backup.id, /db \(10\.213\.77\.12:22\).*(lost|dropped)/i);
    expect(existsSync(path.join(BACKUP_DIR, `${backup.id}.sql.gz`))).toBe(false);
    await expectDumpStopped(page.request, jobId);
  } finally {
    await scratch.restore();
  }
  // The pooled connection comes back by itself: the next backup (of the real database) is good.
  const again = await startBackup(page.request);
  await expect.poll(async () => (await backupOfJob(page.request, again))?.status, { timeout: 60_000 }).toBe("good");
});

test("a full backup disk: failed with the disk named, no partial file, nothing shown as good, other backups kept", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  const before = listFiles(BACKUP_DIR);
  expect(Object.keys(before).length).toBeGreaterThan(0);
  const scratch = await useScratchDatabase(page.request, SCRATCH);
  const unmount = mountSmallDisk(BACKUP_DIR, "8m");
  try {
    const jobId = await startBackup(page.request);
    let backup: Backup | undefined;
    await expect.poll(async () => (backup = await backupOfJob(page.request, jobId))?.status, { timeout: 60_000 }).toBe("failed");
    await expectFailedAndShown(page, backup!.id, /No space left on the panel's backup disk \(.*backups\)/);
    expect(readdirSync(BACKUP_DIR)).toEqual([]);
    await expectDumpStopped(page.request, jobId);
  } finally {
    unmount();
    await scratch.restore();
  }
  expect(isSmallDiskMounted(BACKUP_DIR)).toBe(false);
  expect(listFiles(BACKUP_DIR)).toEqual(before);
  // Nothing of the failed run counts as good: the newest good backup is still one from before.
  const good = (await listBackups(page.request)).filter((b) => b.status === "good");
  expect(good.every((b) => Object.keys(before).some((f) => f.startsWith(b.id)))).toBe(true);
});
