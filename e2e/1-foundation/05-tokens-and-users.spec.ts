import { expect, test } from "@playwright/test";
import { panelCli, signIn } from "../support/panel";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };

test("revoking a token in the settings asks first, and the token gets 401 from then on", async ({ page, request }) => {
  const name = `revoke-me-${Date.now()}`;
  const token = panelCli(["token", "create", "--name", name, "--role", "viewer"]).trim().split("\n").pop() ?? "";
  const auth = { authorization: `Bearer ${token}` };
  expect((await request.get("/api/v1/openapi.json", { headers: auth })).status()).toBe(200);
  expect((await request.get("/api/v1/stacks/pixelfox/deployments", { headers: auth })).status()).not.toBe(401);

  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/settings/tokens");
  const row = page.getByRole("row").filter({ hasText: name });
  await row.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText(`Revoke token ${name}?`);
  await dialog.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByText(`Token ${name} revoked`)).toBeVisible();
  await expect(row).toContainText("revoked");
  expect((await request.get("/api/v1/stacks/pixelfox/deployments", { headers: auth })).status()).toBe(401);
});

test("deleting a user asks first, and the audit log names them by email", async ({ page }) => {
  const email = `leaver-${Date.now()}@pixelfox.test`;
  panelCli(["user", "create", "--email", email, "--role", "viewer"], "a-long-enough-password\n");
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/settings/users");
  const row = page.getByRole("row").filter({ hasText: email });
  await row.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText(`User ${email} deleted`)).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: email })).toHaveCount(0);
  await page.goto("/audit");
  await expect(page.getByRole("row").filter({ hasText: "user.delete" }).filter({ hasText: email }).first()).toBeVisible();
});
