import { expect, test, type Page } from "@playwright/test";
import { deployViaApi } from "../support/api";
import { fleetStatus } from "../support/fleet";
import { waitForJobEnd } from "../support/jobs";
import { panelCli, signIn } from "../support/panel";
import { trpcQuery } from "../support/trpc";
import { servedVersion } from "../support/traffic";
import { ADMIN, lastLine, PASSWORD, restError, signedInContext, storeFixture, STACK, trpcError, uniqueSuffix } from "./fixtures";

// API tokens: capped by their creator's role, expiring, scoped to one stack's deploys, and never able
// to manage users or tokens.

test.describe.configure({ mode: "serial" });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** The only ADMIN-role REST route: a well-formed id of no backup answers 404 to an admin, 403 below. */
const ADMIN_ROUTE = "/api/backups/nosuchbackup0000/download";
const DEPLOYMENTS = `/api/v1/stacks/${STACK}/deployments`;

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
});

/** The token's row on Settings → API tokens, as the first admin sees it. */
async function tokenRow(page: Page, name: string) {
  await page.goto("/settings/tokens");
  return page.getByRole("row").filter({ hasText: name });
}

test("an admin's token is capped when they are demoted and revoked when they are deleted", async ({ page, browser, request }) => {
  const s = uniqueSuffix();
  const emailB = `admin-b-${s}@pixelfox.test`;
  const name = `b-admin-${s}`;
  panelCli(["user", "create", "--email", emailB, "--role", "admin"], `${PASSWORD}\n`);

  // Admin B makes an ADMIN-role token in the settings; it is shown once.
  const b = await signedInContext(browser, emailB, PASSWORD);
  let token = "";
  try {
    await b.page.goto("/settings/tokens");
    await b.page.getByLabel("Name", { exact: true }).fill(name);
    await b.page.getByLabel("Role", { exact: true }).selectOption("ADMIN");
    await b.page.getByRole("button", { name: "Create token" }).click();
    const dialog = b.page.getByRole("dialog");
    await expect(dialog).toContainText(`Token ${name} created`);
    token = await dialog.getByLabel("API token", { exact: true }).inputValue();
    await dialog.getByRole("button", { name: "Done" }).click();
  } finally {
    await b.context.close();
  }
  expect(token).toMatch(/^pxf_/);
  expect((await request.get(ADMIN_ROUTE, { headers: bearer(token) })).status()).toBe(404);

  // The first admin demotes B: the token acts as DEPLOYER from the next request on, and the list says so.
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/settings/users");
  await page.getByLabel(`Role of ${emailB}`).selectOption("DEPLOYER");
  await expect(page.getByText(`${emailB} is now DEPLOYER`)).toBeVisible();
  const capped = await request.get(ADMIN_ROUTE, { headers: bearer(token) });
  expect(capped.status()).toBe(403);
  expect(await restError(capped)).toBe("This needs the ADMIN role; the caller is DEPLOYER");
  expect((await request.get(DEPLOYMENTS, { headers: bearer(token) })).status()).toBe(200);
  const row = await tokenRow(page, name);
  await expect(row).toContainText("capped to DEPLOYER");
  await expect(row).toContainText(emailB);

  // Deleting B revokes the token: 401 saying so.
  await page.goto("/settings/users");
  await page.getByRole("row").filter({ hasText: emailB }).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText(`User ${emailB} deleted`)).toBeVisible();
  const revoked = await request.get(DEPLOYMENTS, { headers: bearer(token) });
  expect(revoked.status()).toBe(401);
  expect(await restError(revoked)).toMatch(new RegExp(`^API token ${name} was revoked on \\d{4}-\\d\\d-\\d\\dT`));
  await expect(await tokenRow(page, name)).toContainText("revoked");
});

test("an expired token gets 401 naming the time it expired, and the list shows it expired", async ({ page, request }) => {
  const name = `expiring-${uniqueSuffix()}`;
  const token = lastLine(panelCli(["token", "create", "--name", name, "--role", "deployer", "--expires-days", "1"]));
  expect((await request.get(DEPLOYMENTS, { headers: bearer(token) })).status()).toBe(200);

  // A day cannot pass in a test: the store's expiry moves an hour into the past instead.
  const at = storeFixture(["expire-token", name, new Date(Date.now() - 60 * 60_000).toISOString()]);
  const res = await request.get(DEPLOYMENTS, { headers: bearer(token) });
  expect(res.status()).toBe(401);
  expect(await restError(res)).toBe(`API token ${name} expired on ${at}: create a new one under Settings → API tokens`);

  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(await tokenRow(page, name)).toContainText("expired");
});

test("a token scoped to the stack's deploys deploys and reads its own job, and nothing else", async ({ page, request }) => {
  test.setTimeout(150_000);
  const name = `ci-scoped-${uniqueSuffix()}`;
  const token = lastLine(panelCli(["token", "create", "--name", name, "--role", "deployer", "--stack", STACK]));
  const othersJob = storeFixture(["seed-job"]);
  const pingUrl = `${fleetStatus().stack.publicDomain}/api/v1/ping`;
  // The healthy tag that is not live, so the stack is left serving a healthy version.
  const target = (await servedVersion(pingUrl)) === "v1.1.0" ? "v1.0.0" : "v1.1.0";

  const { status, body } = await deployViaApi(request, token, target);
  expect(status).toBe(202);
  const job = await request.get(`/api/v1/jobs/${body.jobId}`, { headers: bearer(token) });
  expect(job.status()).toBe(200);
  // The log follows the job to its end.
  const logs = await request.get(`/api/v1/jobs/${body.jobId}/logs`, { headers: bearer(token), timeout: 120_000 });
  expect(logs.status()).toBe(200);
  expect(await logs.text()).toContain(`pulling`);
  expect((await waitForJobEnd(request, body.jobId, { token })).status).toBe("succeeded");
  expect(await servedVersion(pingUrl)).toBe(target);

  const scope = "This API token is limited to deploys of stack pixelfox (its scope)";
  const theirs = await request.get(`/api/v1/jobs/${othersJob}`, { headers: bearer(token) });
  expect(theirs.status()).toBe(403);
  expect(await restError(theirs)).toBe(`${scope}; it cannot act on a job it did not start`);
  expect((await request.get(`/api/v1/jobs/${othersJob}/logs`, { headers: bearer(token) })).status()).toBe(403);
  const presets = await request.get("/api/logs/presets", { headers: bearer(token) });
  expect(presets.status()).toBe(403);
  expect(await restError(presets)).toContain(scope);
  const trpc = await request.get("/api/trpc/stack.list", { headers: bearer(token) });
  expect(trpc.status()).toBe(403);
  expect(await trpcError(trpc)).toContain(scope);

  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(await tokenRow(page, name)).toContainText("deploys of stack pixelfox");
});

test("no token creates users or tokens, not even an admin-role one; nothing is created", async ({ page, request }) => {
  const s = uniqueSuffix();
  const token = lastLine(panelCli(["token", "create", "--name", `sys-admin-${s}`, "--role", "admin"]));
  // It is a working admin token: the admin-only route answers 404 (no such backup), and tRPC reads work.
  expect((await request.get(ADMIN_ROUTE, { headers: bearer(token) })).status()).toBe(404);
  expect((await request.get("/api/trpc/stack.list", { headers: bearer(token) })).status()).toBe(200);

  const email = `mallory-${s}@pixelfox.test`;
  const child = `child-${s}`;
  const calls: [string, unknown][] = [
    ["user.create", { email, password: PASSWORD, role: "ADMIN" }],
    ["token.create", { name: child, role: "ADMIN", expiresInDays: 30 }],
  ];
  for (const [path, input] of calls) {
    const res = await request.post(`/api/trpc/${path}`, { headers: bearer(token), data: { json: input } });
    expect(res.status(), path).toBe(403);
    expect(await trpcError(res), path).toBe("API tokens cannot manage users or tokens: sign in to the panel to do this");
  }

  await signIn(page, ADMIN.email, ADMIN.password);
  const users = await trpcQuery<{ email: string }[]>(page.request, "user.list", undefined);
  expect(users.map((u) => u.email)).not.toContain(email);
  const tokens = await trpcQuery<{ name: string }[]>(page.request, "token.list", undefined);
  expect(tokens.map((t) => t.name)).not.toContain(child);
});
