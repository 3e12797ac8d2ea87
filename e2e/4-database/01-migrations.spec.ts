import { expect, test, type Page } from "@playwright/test";
import { panelCli, signIn } from "../support/panel";
import { appDb, BROKEN_TAG, buildBrokenMigrationImage, removeBrokenMigrationImage } from "./db-fixtures";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };

test.describe.configure({ mode: "serial" });

let deployer = "";

test.beforeAll(async () => {
  panelCli(["fleet", "import"]);
  deployer = panelCli(["token", "create", "--name", "e2e-db-deployer", "--role", "deployer"]).trim().split("\n").pop() ?? "";
  await buildBrokenMigrationImage();
  // An earlier run that stopped half-way may have left the broken version 4 recorded (its first
  // statement is harmless, so the schema is really at 3): start from a clean state.
  const conn = await appDb();
  try {
    const [tables] = await conn.query("SHOW TABLES LIKE 'schema_migrations'");
    if ((tables as unknown[]).length)
      await conn.query("UPDATE schema_migrations SET version = 3, dirty = 0 WHERE version > 3 OR dirty = 1");
  } finally {
    await conn.end();
  }
});

test.afterAll(async () => {
  await removeBrokenMigrationImage();
});

async function showTag(page: Page, tag: string) {
  await page.getByLabel("Image tag").fill(tag);
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByTestId("migration-state")).toContainText(`:${tag}`);
}

async function adminAction(page: Page, button: string, confirmLabel: string, version?: string) {
  await page.getByRole("button", { name: button }).click();
  const dialog = page.getByRole("alertdialog");
  if (version !== undefined) await dialog.getByLabel("Version").fill(version);
  await dialog.getByLabel(/^Type/).fill("pixelfox_db");
  await dialog.getByRole("button", { name: confirmLabel }).click();
  await expect(dialog).toBeHidden();
}

test("status lists the image's migrations; goto and up run as jobs and mark them applied", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/database");
  await expect(page).toHaveURL(/\/database\/pixelfox$/);
  await showTag(page, "v1.1.0");
  for (const v of [1, 2, 3]) await expect(page.getByTestId(`migration-${v}`)).toBeVisible();

  // From whatever an earlier run left: go to version 1 (admin, typed confirmation), then up.
  await adminAction(page, "Go to…", "Go to version", "1");
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("migration-version")).toHaveText("1");
  await expect(page.getByTestId("migration-2")).toContainText("pending");

  await page.getByRole("button", { name: "Migrate up" }).click();
  await expect(page.getByTestId("migration-version")).toHaveText("3", { timeout: 30_000 });
  for (const v of [1, 2, 3]) await expect(page.getByTestId(`migration-${v}`)).toContainText("applied");
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByText("Applied 000003_image_variants.up.sql")).toBeVisible();
});

test("a broken migration leaves the version dirty, names file and statement, and blocks deploys until forced", async ({
  page,
  request,
}) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/database/pixelfox");
  await showTag(page, BROKEN_TAG);
  await expect(page.getByTestId("migration-4")).toContainText("pending");
  await page.getByRole("button", { name: "Migrate up" }).click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  await expect(page.getByText(/000004_broken\.up\.sql failed at statement 2 of 2/).first()).toBeVisible();
  await expect(page.getByTestId("migration-version")).toHaveText("4");
  await expect(page.getByTestId("migration-state")).toContainText("dirty");

  const res = await request.post("/api/v1/stacks/pixelfox/deployments", {
    headers: { authorization: `Bearer ${deployer}` },
    data: { tag: "v1.1.0" },
  });
  expect(res.status()).toBe(412);
  expect((await res.json()).error.message).toMatch(/dirty at version 4/);

  await adminAction(page, "Force…", "Force version", "3");
  await expect(page.getByTestId("migration-version")).toHaveText("3", { timeout: 30_000 });
  await expect(page.getByTestId("migration-state")).toContainText("clean");
});
