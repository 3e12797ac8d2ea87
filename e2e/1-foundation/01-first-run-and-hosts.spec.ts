import { expect, test } from "@playwright/test";
import { fleetHost, inspectContainer } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const VIEWER = { email: "viewer@pixelfox.test", password: "a-very-long-viewer-password" };

test.describe.configure({ mode: "serial" });

test("first run: /setup creates the first admin, and only once", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);

  await page.getByLabel("Admin email").fill(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Repeat password").fill("short");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "At least 12 characters" })).toBeVisible();

  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Repeat password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByText(ADMIN.email)).toBeVisible();

  // Setup is closed once a user exists, signed in or not.
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/$/);
  await page.context().clearCookies();
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/login$/);
});

test("sign out and in again; a wrong password is refused", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("wrong-password-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Email or password is wrong")).toBeVisible();
});

test("add a fleet host with bad input first, pin its key, see and restart its containers", async ({ page }) => {
  const app = fleetHost("app");
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/hosts/new");

  await page.getByLabel("Name", { exact: true }).fill("app");
  await page.getByLabel("Address", { exact: true }).fill("10.213.77.11; rm -rf /");
  await page.getByLabel("SSH port").fill("70000");
  await page.getByLabel("SSH user").fill("root");
  await page.getByLabel("Private key", { exact: true }).fill("this is not a key");
  await page.getByRole("button", { name: /save|add host|create/i }).click();
  await expect(page.getByRole("alert").filter({ hasText: /hostname, an IPv4/ })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Port must be between 1 and 65535" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: /private key in OpenSSH or PEM/ })).toBeVisible();

  await page.getByLabel("Address", { exact: true }).fill(app.sshHost);
  await page.getByLabel("SSH port").fill(String(app.sshPort));
  await page.getByLabel("Private key", { exact: true }).fill("");
  await page.getByText("Path on the panel machine").click();
  await page.getByLabel("Private key path").fill(app.privateKeyPath);
  await page.getByLabel("Docker socket path").fill(app.dockerSocket);
  await page.getByRole("button", { name: /save|add host|create/i }).click();
  await expect(page).toHaveURL(/\/hosts\/[a-z0-9]+$/);

  // Not verified yet: nothing is listed until the key is pinned.
  await expect(page.getByText(/not verified/i).first()).toBeVisible();
  await page.getByRole("button", { name: "Fetch fingerprint" }).click();
  await expect(page.getByText(app.hostKeyFingerprint ?? "fleet has no fingerprint")).toBeVisible();
  await page.getByRole("button", { name: "Accept fingerprint" }).click();
  await expect(page.getByText(/pinned/i).first()).toBeVisible();

  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText(/Debian GNU\/Linux 12/)).toBeVisible();

  const rows = page.getByRole("row");
  await expect(rows.filter({ hasText: "pxlfox-proxy" })).toBeVisible();
  await expect(rows.filter({ hasText: "pxlfox-app" }).first()).toBeVisible();
  await expect(rows.filter({ hasText: "pxlfox-db" })).toHaveCount(0);

  const before = await inspectContainer(app.dockerSocket, "pxlfox-proxy");
  await rows.filter({ hasText: "pxlfox-proxy" }).getByRole("button", { name: "Restart" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("pxlfox-proxy");
  await dialog.getByRole("button", { name: "Restart" }).click();
  await expect(page.getByText(/pxlfox-proxy restarted/)).toBeVisible();
  const after = await inspectContainer(app.dockerSocket, "pxlfox-proxy");
  expect(after.State.Running).toBe(true);
  expect(Date.parse(after.State.StartedAt)).toBeGreaterThan(Date.parse(before.State.StartedAt));
});

test("a VIEWER sees no edit buttons and is refused when calling a mutation directly", async ({ page }) => {
  panelCli(["user", "create", "--email", VIEWER.email, "--role", "viewer"], VIEWER.password);
  await signIn(page, VIEWER.email, VIEWER.password);
  await page.goto("/hosts");
  await expect(page.getByRole("link", { name: "app", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: /add host/i })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /add host/i })).toHaveCount(0);
  await page.getByRole("link", { name: "app", exact: true }).click();
  await expect(page.getByRole("row").filter({ hasText: "pxlfox-proxy" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Restart" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);

  const hostId = page.url().split("/").pop();
  const res = await page.request.post("/api/trpc/host.containerAction", {
    data: { json: { id: hostId, container: "pxlfox-proxy", action: "restart" } },
  });
  expect(res.status()).toBe(403);
  expect(JSON.stringify(await res.json())).toContain("FORBIDDEN");

  const del = await page.request.post("/api/trpc/host.delete", { data: { json: { id: hostId } } });
  expect(del.status()).toBe(403);
  // Even read-like mutations (they open connections and record results) are for deployers and up.
  await expect(page.getByRole("button", { name: "Test connection" })).toHaveCount(0);
  const test = await page.request.post("/api/trpc/host.testConnection", { data: { json: { id: hostId } } });
  expect(test.status()).toBe(403);
});

test("the panel's own health check answers without auth", async ({ request }) => {
  const res = await request.get("/api/healthz");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok" });
});
