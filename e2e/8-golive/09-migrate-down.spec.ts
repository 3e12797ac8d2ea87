import { expect, test } from "@playwright/test";
import { signIn } from "../support/panel";
import { trpcMutation } from "../support/trpc";
import { ADMIN, expectJobOnPage, importFleet, jobIdOf, jobLog, resetPlan } from "./golive-fixtures";

// The last spec of the folder on purpose: it leaves plan's database without tables (reset-plan repairs
// it; the adoption spec resets the plan-laid stacks first). Nothing after it uses plan's db.
const STACK = "plan";

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  importFleet();
});

test("stepping plan's db down from 000001 (its down file drops schema_migrations too) ends clean at version none", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  const status = () =>
    trpcMutation<{ version: number | null; dirty: boolean; database: string }>(page.request, "migrations.status", { stack: STACK });
  // As the templates left it (the first migration applied after the app's first start); an earlier run of this spec leaves none.
  const now = await status().catch(() => null);
  if (now?.version !== 1 || now.dirty) resetPlan();
  expect(await status()).toMatchObject({ version: 1, dirty: false, database: "pixelfox_db" });

  await page.goto(`/database/${STACK}`);
  await expect(page.getByTestId("migration-version")).toHaveText("1", { timeout: 30_000 });
  await expect(page.getByTestId("migration-1")).toContainText("applied");
  await page.getByRole("button", { name: "Down 1" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("Step the database down one migration?");
  await dialog.getByLabel(/^Type/).fill("pixelfox_db");
  const jobId = await jobIdOf(page, "migrations.down", () => dialog.getByRole("button", { name: "Step down" }).click());
  const job = await expectJobOnPage(page, jobId, "succeeded", 60_000);
  expect(job.error).toBeNull();

  const log = await jobLog(page.request, jobId);
  expect(
    log.some((l) => /^000001_init\.down\.sql dropped schema_migrations itself along with its tables/.test(l)),
    log.join("\n"),
  ).toBe(true);
  expect(
    log.some((l) => l.startsWith("Applied 000001_init.down.sql")),
    log.join("\n"),
  ).toBe(true);
  expect(log.filter((l) => /Internal error/i.test(l))).toEqual([]);
  await expect(page.locator(`[data-job-id="${jobId}"]`).getByText(/Internal error/)).toHaveCount(0);
  await expect(page.getByTestId("migration-version")).toHaveText("none", { timeout: 30_000 });
  await expect(page.getByTestId("migration-state")).toContainText("clean");
  await expect(page.getByTestId("migration-1")).toContainText("pending");
  expect(await status()).toMatchObject({ version: null, dirty: false });
});
