import { expect, test, type APIRequestContext } from "@playwright/test";
import { deployViaApi, waitForJob } from "../support/api";
import { dockerApi, fleetHost, fleetStatus, forgetEarlierRunsEnvFile, onHost } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";
import { servedVersion } from "../support/traffic";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };

interface Inspected {
  Config: { Env: string[]; Labels: Record<string, string> };
}

/** The env and labels of the live app container, as the app host's Docker sees them. */
async function liveApp() {
  return (await dockerApi<Inspected>(fleetHost("app").dockerSocket, "GET", "/containers/pxlfox-app/json")).body.Config;
}

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
  forgetEarlierRunsEnvFile();
});

/** Deploys whichever healthy tag is not serving, through the API, and waits for it. */
async function deployOther(request: APIRequestContext, token: string) {
  const served = await servedVersion(`${fleetStatus().stack.publicDomain}/api/v1/ping`);
  const deploy = await deployViaApi(request, token, served === "v1.1.0" ? "v1.0.0" : "v1.1.0");
  expect(deploy.status).toBe(202);
  expect((await waitForJob(request, token, deploy.body.jobId)).status).toBe("succeeded");
}

test("the app's environment: import it from the running app, edit it (secrets masked, each change diffed), and the next deploy uses it", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  // A key of this run's own: the fleet outlives test runs, and its live container keeps what earlier runs deployed.
  const FLAG = `PXF_E2E_FLAG_${Date.now()}`;
  const before = await liveApp();
  const password = before.Env.find((e) => e.startsWith("DB_PASSWORD="))?.slice("DB_PASSWORD=".length) ?? "";
  expect(password.length).toBeGreaterThan(0);

  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/stacks/pixelfox");
  const card = page.getByTestId("app-env");
  await expect(card).toContainText("not managed");
  await card.getByRole("button", { name: "Import from the running app" }).click();
  const v1 = card.getByTestId("env-version-1");
  await expect(v1).toContainText("imported from pxlfox-app on app");
  await expect(v1.getByTestId("env-values")).toContainText("DB_HOST=");
  await expect(v1.getByTestId("env-values")).toContainText(`DB_PASSWORD=•••••• (${password.length} characters)`);
  await expect(v1.getByTestId("env-values")).not.toContainText(password);
  await expect(v1.getByTestId("env-values")).not.toContainText("APP_PORT=");

  // Edit: the editor holds the real values (an audited reveal); a bad line is refused naming it.
  await card.getByRole("button", { name: "Edit", exact: true }).click();
  const editor = card.getByTestId("env-editor");
  const text = card.getByLabel("Environment (.env)");
  await expect(text).toHaveValue(new RegExp(`DB_PASSWORD=${password}`));
  const original = await text.inputValue();
  await text.fill(`${original}1BAD=x\n`);
  await editor.getByRole("button", { name: "Save as a new version" }).click();
  await expect(editor).toContainText(/Line \d+: "1BAD" is not a valid name/);
  await text.fill(`${original}${FLAG}=on\n`);
  await card.getByLabel("Note").fill("turn the e2e flag on");
  await editor.getByRole("button", { name: "Save as a new version" }).click();
  const v2 = card.getByTestId("env-version-2");
  await expect(v2).toContainText("turn the e2e flag on");
  await expect(v2.getByTestId("env-diff")).toHaveText(`+ ${FLAG} on`);

  // The next deploy starts the new container with version 2; the secret came through unchanged.
  const token = panelCli(["token", "create", "--name", "env-test", "--role", "deployer"]).trim().split("\n").pop() ?? "";
  await deployOther(request, token);
  const after = await liveApp();
  expect(after.Env).toContain(`${FLAG}=on`);
  expect(after.Env).toContain(`DB_PASSWORD=${password}`);
  expect(after.Labels["com.pixelfox.env-version"]).toBe("2");
  // The host's .env says the same, for a manual compose run or the plan's deploy script: 0600, the old one kept.
  const envFile = onHost("app", ["cat", "/srv/pixelfox/.env"]);
  expect(envFile).toContain("# Written by PixelFox Ops: app environment version 2");
  expect(envFile).toContain(`\n${FLAG}=on\n`);
  expect(envFile).toContain(`\nDB_PASSWORD=${password}\n`);
  expect(onHost("app", ["stat", "-c", "%a", "/srv/pixelfox/.env"]).trim()).toBe("600");
  expect(onHost("app", ["cat", "/srv/pixelfox/.env.prev"])).not.toContain(FLAG);

  // Version 1 again, as version 3: the diff shows the key going away.
  await page.goto("/stacks/pixelfox");
  await card.getByTestId("env-version-1").getByRole("button", { name: "Use this version" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Use version 1" }).click();
  const v3 = card.getByTestId("env-version-3");
  await expect(v3).toContainText("restored from version 1");
  await expect(v3.getByTestId("env-diff")).toHaveText(`− ${FLAG} on`);
  // Deployed, the app runs without the key again (and the fleet is left as the test found it).
  await deployOther(request, token);
  expect((await liveApp()).Env.filter((e) => e.startsWith(FLAG))).toEqual([]);
  expect((await liveApp()).Labels["com.pixelfox.env-version"]).toBe("3");
  expect(onHost("app", ["cat", "/srv/pixelfox/.env"])).not.toContain(FLAG);

  await page.goto("/audit");
  await expect(page.getByRole("row").filter({ hasText: "env.save" }).first()).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "env.reveal" }).first()).toBeVisible();
});
