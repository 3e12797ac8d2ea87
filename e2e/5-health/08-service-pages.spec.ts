import { expect, test, type Page } from "@playwright/test";
import { panelCli, signIn } from "../support/panel";
import { pressCheckNow } from "../support/check-now";

test.describe.configure({ mode: "serial" });

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const VIEWER = { email: "health-viewer@pixelfox.test", password: "a-long-viewer-password-for-health" };

const box = (page: Page, id: string) => page.getByTestId(`health-box-${id}`);
const fact = (page: Page, id: string) => page.getByTestId(`fact-${id}`);

/** A chart with recorded samples draws a uPlot canvas. */
async function expectChartWithSamples(page: Page, testId: string) {
  await expect(page.getByTestId(testId)).not.toHaveAttribute("data-points", "0");
  await expect(page.locator(`[data-testid=${testId}] canvas`)).toBeVisible();
}

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
  try {
    panelCli(["user", "create", "--email", VIEWER.email, "--role", "viewer"], `${VIEWER.password}\n`);
  } catch {
    // Already created by an earlier run against the same store.
  }
});

test("each service box opens the service's page with its live checks and charts of its samples", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/");
  const checkNow = page.getByTestId("stack-health-pixelfox").getByRole("button", { name: "Check now" });
  await pressCheckNow(page, checkNow, "health.checkNow");
  await expect(box(page, "db-db")).toHaveAttribute("data-status", "ok");

  await box(page, "db-db").click();
  await expect(page).toHaveURL(/\/health\/services\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { name: /db on db/ })).toBeVisible();
  await expect(page.getByTestId("service-status")).toHaveText("ok");
  await expect(fact(page, "version")).toContainText(/MariaDB|\d+\.\d+/);
  await expect(fact(page, "uptime")).toContainText(/\d+ h \d+ min/);
  await expect(fact(page, "threads")).toContainText(/\d+ \/ \d+/);
  await expect(fact(page, "connections")).toContainText(/\d+ of \d+/);
  await expect(fact(page, "replication")).toBeVisible();
  await expect(fact(page, "db-size")).toContainText(/pixelfox_db[\s\S]*(B|KiB|MiB)/);
  await expect(fact(page, "container-usage")).toContainText(/\d+(\.\d+)? % · /);
  await expectChartWithSamples(page, "chart-database-connections");
  await expectChartWithSamples(page, "chart-container-memory");
  // Another time range reads the same store over a shorter window.
  await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "1 h" }).click();
  await expect(page.getByRole("button", { name: "1 h" })).toHaveAttribute("aria-pressed", "true");
  await expectChartWithSamples(page, "chart-database-connections");

  await page.goto("/");
  await box(page, "cache-cache").click();
  await expect(page.getByRole("heading", { name: /cache on cache/ })).toBeVisible();
  await expect(fact(page, "ping")).toContainText(/ok\s*\d+ ms/);
  await expect(fact(page, "version")).toContainText(/Redis 7/);
  await expect(fact(page, "memory")).toContainText(/B/);
  await expect(fact(page, "keys")).toContainText(/\d+ \/ \d+ \/ \d+/);
  await expect(fact(page, "evictions")).toContainText(/\d+/);
  await expect(fact(page, "password")).toContainText("required");
  await expectChartWithSamples(page, "chart-cache-memory-used");

  await page.goto("/");
  await box(page, "proxy-app").click();
  await expect(page.getByRole("heading", { name: /proxy on app/ })).toBeVisible();
  await expect(fact(page, "config")).toContainText("yes");
  await expect(fact(page, "upstreams")).toContainText(/127\.0\.0\.1:400[01] · \d+ failed/);
  await expect(fact(page, "tls")).toContainText("plain http");
  await expect(fact(page, "dns")).toContainText(/IP address 10\.213\.77\.11/);
  await expectChartWithSamples(page, "chart-admin-api-latency");

  await page.goto("/");
  await box(page, "app-app").click();
  await expect(page.getByRole("heading", { name: /app on app/ })).toBeVisible();
  await expect(fact(page, "internal-ping")).toContainText(/ok\s*\d+ ms/);
  await expect(fact(page, "external-ping")).toContainText(/ok\s*\d+ ms/);
  await expect(fact(page, "tag")).toContainText(/v\d+\.\d+\.\d+/);
  await expect(fact(page, "restarts")).toContainText(/\d+/);
  await expectChartWithSamples(page, "chart-internal-ping-latency");
  await expectChartWithSamples(page, "chart-external-ping-latency");
});

test("a viewer reaches a service page from the stack's service list", async ({ page }) => {
  await signIn(page, VIEWER.email, VIEWER.password);
  await page.goto("/stacks/pixelfox");
  await page.getByRole("link", { name: "Health of the cache service on cache" }).click();
  await expect(page).toHaveURL(/\/health\/services\/[a-z0-9]+$/);
  await expect(page.getByTestId("service-status")).toHaveText("ok");
  await expect(fact(page, "keys")).toBeVisible();
  await expect(page.getByTestId("chart-cache-memory-used")).not.toHaveAttribute("data-points", "0");
  // Reading is for everyone; triggering a check is a mutation, for deployers and up.
  await expect(page.getByRole("button", { name: "Check now" })).toHaveCount(0);
  expect((await page.request.post("/api/trpc/health.checkNow", { data: { json: { stack: "pixelfox" } } })).status()).toBe(403);
});
