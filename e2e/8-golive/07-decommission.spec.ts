import { expect, test, type Page } from "@playwright/test";
import { signIn } from "../support/panel";
import { trpcQuery } from "../support/trpc";
import { ADMIN, expectJobOnPage, jobIdOf, jobLog } from "./golive-fixtures";
import { containersOn, ensureGoLiveStackLive, GOLIVE_STACK, isDirOn } from "./host-checks";

const STACK = GOLIVE_STACK.name;

test.describe.configure({ mode: "serial" });

/** Opens the decommission dialog of a role, checks a wrong host name keeps it disabled, confirms with the right one. */
async function decommission(page: Page, kind: string, host: string, wrongHost: string): Promise<string> {
  await page.getByTestId(`decommission-${kind}-${host}`).getByRole("button", { name: "Decommission" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText(`Decommission the ${kind} on ${host}?`);
  await expect(dialog.getByRole("checkbox", { name: "Also delete its data directories on the host" })).not.toBeChecked();
  const confirm = dialog.getByRole("button", { name: "Decommission" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/^Type/).fill(wrongHost);
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/^Type/).fill(`${host} `);
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/^Type/).fill(host);
  await expect(confirm).toBeEnabled();
  const jobId = await jobIdOf(page, "golive.decommission", () => confirm.click());
  await expect(dialog).toBeHidden();
  return jobId;
}

test("decommission the storage node, then the db after a final good backup; containers go, data directories stay", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await ensureGoLiveStackLive(page.request);
  await page.goto(`/stacks/${STACK}/go-live`);

  const storageJob = await decommission(page, "storage", "bare4", "bare3");
  await expectJobOnPage(page, storageJob, "succeeded", 60_000);
  expect(containersOn("bare4").has("pxlfox-storage")).toBe(false);
  expect(isDirOn("bare4", "/srv/pixelfox/uploads")).toBe(true);
  await expect(page.getByTestId("decommission-storage-bare4")).toHaveCount(0);

  const before = (await trpcQuery<unknown[]>(page.request, "backups.list", { stack: STACK })).length;
  await expect(page.getByRole("alertdialog")).toBeHidden();
  const dbJob = await decommission(page, "db", "bare1", "bare2");
  const job = await expectJobOnPage(page, dbJob, "succeeded", 180_000);
  // The final backup came first and had to be good before the container went.
  const order = job.steps.map((s) => s.key);
  expect(order.indexOf("backup")).toBeLessThan(order.indexOf("remove"));
  expect(job.steps.find((s) => s.key === "backup")?.status).toBe("succeeded");
  const log = await jobLog(page.request, dbJob);
  expect(
    log.some((l) => /^final backup \S+ is good \(verified\); the database may now go$/.test(l)),
    log.join("\n"),
  ).toBe(true);
  expect(
    log.some((l) => /^removed pxlfox-db /.test(l)),
    log.join("\n"),
  ).toBe(true);
  expect(containersOn("bare1").has("pxlfox-db")).toBe(false);
  expect(isDirOn("bare1", "/srv/mysql/data")).toBe(true);
  await expect(page.getByTestId("decommission-db-bare1")).toHaveCount(0);

  await page.goto(`/database/${STACK}`);
  const rows = page.locator('[data-testid^="backup-c"]');
  await expect(rows).toHaveCount(before + 1);
  const finalBackup = rows.filter({ hasText: "final backup before decommission" });
  await expect(finalBackup).toHaveCount(1);
  await expect(finalBackup).toContainText("good");
  await expect(finalBackup).toContainText("verified");
});
