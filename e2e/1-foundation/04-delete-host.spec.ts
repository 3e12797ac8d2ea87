import { expect, test } from "@playwright/test";
import { fleetHost } from "../support/fleet";
import { signIn } from "../support/panel";
import { trpcMutation } from "../support/trpc";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };

test("deleting a host asks for its name to be typed, then removes it", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const app = fleetHost("app");
  const host = await trpcMutation<{ id: string }>(page.request, "host.create", {
    name: "throwaway",
    address: app.sshHost,
    sshPort: 22,
    sshUser: "root",
    privateKeyPath: app.privateKeyPath,
    dockerSocket: app.dockerSocket,
    roles: [],
  });
  await page.goto(`/hosts/${host.id}`);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("alertdialog");
  const confirm = dialog.getByRole("button", { name: "Delete" });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("textbox").fill("throwaw");
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("textbox").fill("throwaway");
  await confirm.click();
  await expect(page).toHaveURL(/\/hosts$/);
  await expect(page.getByText("Host throwaway deleted")).toBeVisible();
  await expect(page.getByRole("link", { name: "throwaway", exact: true })).toHaveCount(0);
});
