import { expect, test, type Page } from "@playwright/test";
import { fleetHost } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { removeLogContainer, startLogContainer } from "../3-logs/log-fixtures";
import { ADMIN, PASSWORD, SHELL_IMAGE, signedInContext, STACK, uniqueSuffix } from "./fixtures";

// Which logs a role reads: viewers the stack's service containers (and every container of a host where
// an admin allowed it), deployers also the rest and MySQL's slow query log.

test.describe.configure({ mode: "serial" });

const s = uniqueSuffix();
const VIEWER = { email: `log-viewer-${s}@pixelfox.test`, password: PASSWORD };
const DEPLOYER = { email: `log-deployer-${s}@pixelfox.test`, password: PASSWORD };
/** A tool's container on the app host: no service of the stack. */
const TOOL = `pxf-logtest-tool-${s}`;
const MARK = `tool-output-${s}`;
const refusal = `${TOOL} on app is not a container of a stack's service: a viewer may read only those.`;
let socket = "";
let appId = "";
let wasAllowed = false;

interface HostRow {
  id: string;
  name: string;
  viewerLogsAllowed: boolean;
}

test.beforeAll(async ({ browser }) => {
  panelCli(["fleet", "import"]);
  panelCli(["user", "create", "--email", VIEWER.email, "--role", "viewer"], `${PASSWORD}\n`);
  panelCli(["user", "create", "--email", DEPLOYER.email, "--role", "deployer"], `${PASSWORD}\n`);
  socket = fleetHost("app").dockerSocket;
  await startLogContainer(socket, TOOL, `i=1; while true; do echo "${MARK} $i"; i=$((i+1)); sleep 0.2; done`, SHELL_IMAGE.app);
  // Start from the default (viewers read the stack's containers only), whatever an earlier run left.
  const { context, page } = await signedInContext(browser, ADMIN.email, ADMIN.password);
  try {
    const app = (await trpcQuery<HostRow[]>(page.request, "host.list", undefined)).find((h) => h.name === "app");
    if (!app) throw new Error("host app is not in the inventory");
    appId = app.id;
    wasAllowed = app.viewerLogsAllowed;
    if (wasAllowed) await trpcMutation(page.request, "host.setViewerLogs", { id: appId, allowed: false });
  } finally {
    await context.close();
  }
});

test.afterAll(async ({ browser }) => {
  await removeLogContainer(socket, TOOL);
  const { context, page } = await signedInContext(browser, ADMIN.email, ADMIN.password);
  try {
    await trpcMutation(page.request, "host.setViewerLogs", { id: appId, allowed: wasAllowed });
  } finally {
    await context.close();
  }
});

const streamUrl = `/api/logs/stream?host=app&container=${TOOL}&tail=5`;
const toolRow = (page: Page) => page.getByRole("row").filter({ hasText: TOOL });

test("a viewer cannot read a tool's container until an admin allows every log on the host; the change is audited", async ({
  page,
  browser,
}) => {
  const viewer = await signedInContext(browser, VIEWER.email, VIEWER.password);
  try {
    const v = viewer.page;
    // The viewer page names the container and why; the stream and the download say the same.
    await v.goto(`/logs?host=app&container=${TOOL}&tail=20`);
    await expect(v.getByRole("alert").filter({ hasText: "The log could not be read" })).toContainText(refusal);
    await expect(v.getByTestId("log-status")).toHaveText("error");
    await expect(v.getByTestId("log-line")).toHaveCount(0);
    for (const url of [streamUrl, `/api/logs/download?host=app&container=${TOOL}`]) {
      const res = await v.request.get(url);
      expect(res.status(), url).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message, url).toContain(refusal);
    }
    // A service container of the stack opens for the same viewer.
    expect((await v.request.get("/api/logs/stream?host=app&container=pxlfox-proxy&tail=1")).status()).toBe(200);

    // The host page lists the tool's container without a logs link; the stack's containers keep theirs.
    await v.goto(`/hosts/${appId}`);
    await expect(toolRow(v)).toBeVisible();
    await expect(toolRow(v).getByRole("link", { name: "logs", exact: true })).toHaveCount(0);
    await expect(v.getByRole("row").filter({ hasText: "pxlfox-proxy" }).getByRole("link", { name: "logs", exact: true })).toBeVisible();
    await expect(v.getByLabel("Viewers may read all containers' logs")).toBeDisabled();

    // The admin allows it on the host page.
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`/hosts/${appId}`);
    const toggle = page.getByLabel("Viewers may read all containers' logs");
    await expect(toggle).not.toBeChecked();
    await toggle.check();
    await expect(page.getByText("Viewers may read every container's log on app")).toBeVisible();
    try {
      await v.reload();
      await toolRow(v).getByRole("link", { name: "logs", exact: true }).click();
      await expect(v).toHaveURL(new RegExp(`/logs\\?.*container=${TOOL}`));
      await expect(v.getByTestId("log-line").filter({ hasText: MARK }).first()).toBeVisible();
      const res = await v.request.get(streamUrl);
      expect(res.status()).toBe(200);
      expect(await res.text()).toContain(MARK);

      await page.goto("/audit");
      await expect(page.getByRole("row").filter({ hasText: "host.viewer-logs" }).filter({ hasText: "to=true" }).first()).toContainText(
        "app",
      );
    } finally {
      await page.goto(`/hosts/${appId}`);
      await page.getByLabel("Viewers may read all containers' logs").uncheck();
      await expect(page.getByText("Viewers read only the stack's containers on app")).toBeVisible();
    }
    // Refused again from then on.
    expect((await v.request.get(streamUrl)).status()).toBe(403);
  } finally {
    await viewer.context.close();
  }
});

test("the MySQL slow query log: viewers get no link and a 403, a deployer opens it", async ({ page, browser }) => {
  const slowLog = "/api/logs/stream?source=mysql-slow&host=db&container=pxlfox-db&tail=5&follow=0";
  const presetSources = async (p: Page) =>
    ((await (await p.request.get("/api/logs/presets")).json()) as { presets: { source: string }[] }).presets.map((x) => x.source);

  const viewer = await signedInContext(browser, VIEWER.email, VIEWER.password);
  try {
    const v = viewer.page;
    await v.goto(`/stacks/${STACK}`);
    await expect(v.getByRole("link", { name: "Logs of the db service" })).toBeVisible();
    await expect(v.getByRole("link", { name: "Slow queries" })).toHaveCount(0);
    const res = await v.request.get(slowLog);
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /^Reading the MySQL slow query log needs the DEPLOYER role: .* You are VIEWER\.$/,
    );
    const sources = await presetSources(v);
    expect(sources).toContain("proxy");
    expect(sources).not.toContain("mysql-slow");
  } finally {
    await viewer.context.close();
  }

  await signIn(page, DEPLOYER.email, DEPLOYER.password);
  expect(await presetSources(page)).toContain("mysql-slow");
  // Off (the fleet's default) it says so with 412; on, it streams. Never 403.
  const res = await page.request.get(slowLog);
  expect([200, 412]).toContain(res.status());
  const isOff = res.status() === 412;
  if (isOff) expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^The slow query log is off on db/);
  await page.goto(`/stacks/${STACK}`);
  const answered = page.waitForResponse((r) => r.url().includes("/api/logs/stream") && r.url().includes("source=mysql-slow"));
  await page.getByRole("link", { name: "Slow queries" }).click();
  await expect(page).toHaveURL(/\/logs\?.*source=mysql-slow/);
  expect((await answered).status()).toBe(isOff ? 412 : 200);
  if (isOff)
    await expect(page.getByRole("alert").filter({ hasText: "The log could not be read" })).toContainText("The slow query log is off on db");
  await expect(page.getByText("needs the DEPLOYER role")).toHaveCount(0);
});
