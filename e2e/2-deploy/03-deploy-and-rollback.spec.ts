import { expect, test } from "@playwright/test";
import { fleetStatus } from "../support/fleet";
import { deployViaApi, waitForJob } from "../support/api";
import { panelCli, signIn } from "../support/panel";
import { describeTraffic, servedVersion, startTraffic } from "../support/traffic";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };

test.describe.configure({ mode: "serial" });

let token = "";
let pingUrl = "";

test.beforeAll(async ({ request }) => {
  const fleet = fleetStatus();
  pingUrl = `${fleet.stack.publicDomain}/api/v1/ping`;
  panelCli(["fleet", "import"]);
  // A short health gate keeps the broken-tag test quick; the defaults are for production.
  panelCli([
    "stack",
    "deploy-settings",
    "--name",
    "pixelfox",
    "--json",
    JSON.stringify({ healthAttempts: 4, healthIntervalMs: 500, healthTimeoutMs: 1000, drainMs: 1500 }),
  ]);
  token = panelCli(["token", "create", "--name", "e2e-deployer", "--role", "deployer"]).trim().split("\n").pop() ?? "";
  // Start from a known version, whatever an earlier run left behind.
  if ((await servedVersion(pingUrl)) !== "v1.0.0") {
    const { body } = await deployViaApi(request, token, "v1.0.0");
    expect((await waitForJob(request, token, body.jobId)).status).toBe("succeeded");
  }
  expect(await servedVersion(pingUrl)).toBe("v1.0.0");
});

test("deploy v1.1.0 over v1.0.0 with zero failed requests, and see the app report it", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/deploy/pixelfox");
  const traffic = startTraffic(pingUrl);
  await page.getByLabel("Image tag").fill("v1.1.0");
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(page.getByText("Deploy of v1.1.0 started")).toBeVisible();
  await expect(page.getByTestId("job-status")).toHaveText(/succeeded/i, { timeout: 90_000 });
  const stats = await traffic.stop();
  console.log(describeTraffic("deploy v1.1.0", stats));
  expect(stats.requests).toBeGreaterThan(50);
  expect(stats.failures, `failed requests during the deploy: ${stats.errors.slice(0, 5).join("; ")}`).toBe(0);
  expect(stats.versions.get("v1.1.0")).toBeGreaterThan(0);
  expect(await servedVersion(pingUrl)).toBe("v1.1.0");
  await expect(page.getByText(/version v1\.1\.0/).first()).toBeVisible();
  // "Live now" is read from the host and the proxy, not from the panel's own history.
  await expect(page.getByTestId("live-tag").first()).toHaveText("v1.1.0", { timeout: 15_000 });
  await expect(page.getByText("proxy consistent")).toBeAttached();
  await expect(page.getByRole("row").filter({ hasText: "v1.1.0" }).filter({ hasText: "succeeded" }).first()).toBeVisible();
});

test("a broken tag fails at the health gate while v1.1.0 keeps serving", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/deploy/pixelfox");
  const traffic = startTraffic(pingUrl);
  await page.getByLabel("Image tag").fill("v1.2.0-broken");
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(page.getByTestId("job-status")).toHaveText(/failed/i, { timeout: 90_000 });
  await expect(page.getByText(/Health gate failed on app/).first()).toBeVisible();
  const stats = await traffic.stop();
  console.log(describeTraffic("failed deploy of a broken tag", stats));
  expect(stats.failures, stats.errors.slice(0, 5).join("; ")).toBe(0);
  expect([...stats.versions.keys()]).toEqual(["v1.1.0"]);
  expect(await servedVersion(pingUrl)).toBe("v1.1.0");
  await expect(page.getByRole("row").filter({ hasText: "v1.2.0-broken" }).filter({ hasText: "failed" }).first()).toBeVisible();
});

test("one click rolls back to the previous successful deployment", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/deploy/pixelfox");
  await page.getByRole("button", { name: "Roll back", exact: true }).first().click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Roll back" }).click();
  await expect(page.getByTestId("job-status")).toHaveText(/succeeded/i, { timeout: 90_000 });
  expect(await servedVersion(pingUrl)).toBe("v1.0.0");
});

test("a second deploy while one runs is refused with the holder's name", async ({ page, request }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/deploy/pixelfox");
  await page.getByLabel("Image tag").fill("v1.1.0");
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(page.getByText("Deploy of v1.1.0 started")).toBeVisible();
  const second = await deployViaApi(request, token, "v1.1.0");
  expect(second.status).toBe(409);
  expect(second.body.error?.message).toContain(ADMIN.email);
  await expect(page.getByTestId("job-status")).toHaveText(/succeeded/i, { timeout: 90_000 });
  expect(await servedVersion(pingUrl)).toBe("v1.1.0");
});
