import { expect, test, type Page } from "@playwright/test";
import { OwnPanel } from "../support/own-panel";
import { pressCheckNow } from "../support/check-now";

const ADMIN = { email: "restart-admin@pixelfox.test", password: "a-very-long-restart-admin-password" };
// The e2e port on another loopback address: a panel of the test's own that never clashes with the shared one.
const port = Number(process.env.E2E_PORT ?? 3100);
const panel = new OwnPanel(port, `/tmp/pxf-e2e-health-restart-${port}`, "127.0.0.2");

test.afterAll(() => panel.kill());

async function signInOwn(page: Page) {
  await page.goto(`${panel.url}/login`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

const box = (page: Page, id: string) => page.getByTestId(`health-box-${id}`);
const lastSweep = (page: Page) => page.getByTestId("stack-health-pixelfox").getByTestId("last-sweep");

test("after a panel restart the dashboard shows the last sweep at once, marked as the last known state", async ({ page }) => {
  test.setTimeout(240_000);
  panel.prepare();
  // No scheduler: whatever the restarted panel shows can only come from the stored sweep.
  panel.env.PANEL_HEALTH_INTERVAL_MS = "0";
  panel.cli(["fleet", "import"]);
  panel.cli(["user", "create", "--email", ADMIN.email, "--role", "admin"], `${ADMIN.password}\n`);
  await panel.start();

  await signInOwn(page);
  await page.goto(`${panel.url}/`);
  await expect(lastSweep(page)).toContainText("Not checked yet");
  const checkNow = page.getByTestId("stack-health-pixelfox").getByRole("button", { name: "Check now" });
  await pressCheckNow(page, checkNow, "health.checkNow");
  await expect(box(page, "db-db")).toHaveAttribute("data-status", "ok");
  await expect(lastSweep(page)).toHaveAttribute("data-stale", "false");
  const tag = await box(page, "app-app").getByTestId("box-tag").textContent();

  panel.kill();
  await panel.start();
  await page.goto(`${panel.url}/`);
  if (page.url().includes("/login")) await signInOwn(page);
  await page.goto(`${panel.url}/`);
  // At once, without a new check: the last state with its age, flagged as not fresh.
  await expect(lastSweep(page)).toHaveAttribute("data-stale", "true", { timeout: 5_000 });
  await expect(lastSweep(page)).toContainText(/last known.*checked \d+ (s|min) ago/i);
  for (const id of ["proxy-app", "app-app", "db-db", "cache-cache"]) await expect(box(page, id)).toHaveAttribute("data-status", "ok");
  await expect(box(page, "app-app").getByTestId("box-tag")).toHaveText(tag ?? "");
  await expect(page.getByTestId("check-db@db")).toContainText(/MariaDB/);

  // The next check replaces it with a live one.
  await pressCheckNow(page, checkNow, "health.checkNow");
  await expect(lastSweep(page)).toHaveAttribute("data-stale", "false");
  await expect(lastSweep(page)).not.toContainText("last known");
});
