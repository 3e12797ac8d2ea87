import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { fleetHost } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const fleetCli = (args: string[]) => execFileSync(process.execPath, ["--import", "tsx", "fleet/cli.ts", ...args], { encoding: "utf8" });

test("a changed host key is refused, shown loudly, and only an admin's typed re-pin clears it", async ({ page }) => {
  test.setTimeout(120_000);
  const original = fleetHost("app").hostKeyFingerprint;
  fleetCli(["rekey", "app"]);
  try {
    const changed = fleetHost("app").hostKeyFingerprint;
    expect(changed).not.toBe(original);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/hosts");
    await page.getByRole("link", { name: "app", exact: true }).click();
    await page.getByRole("button", { name: "Test connection" }).click();

    const alert = page.getByRole("alert").filter({ hasText: "HOST KEY CHANGED" });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(original ?? "no original fingerprint");
    await expect(alert).toContainText(changed ?? "no new fingerprint");
    // Nothing is listed from a host whose key does not match.
    await expect(page.getByRole("row").filter({ hasText: "pxlfox-proxy" })).toHaveCount(0);
    // The dashboard says so too.
    await page.goto("/");
    await expect(page.getByText("HOST KEY CHANGED").first()).toBeVisible();

    // Re-pin: the admin must type the host's name.
    await page.goto("/hosts");
    await page.getByRole("link", { name: "app", exact: true }).click();
    await page.getByRole("button", { name: "Re-pin after verifying" }).click();
    const dialog = page.getByRole("alertdialog");
    const confirm = dialog.getByRole("button", { name: "Re-pin" });
    await expect(confirm).toBeDisabled();
    await dialog.getByRole("textbox").fill("app");
    await confirm.click();
    await expect(page.getByRole("alert").filter({ hasText: "HOST KEY CHANGED" })).toHaveCount(0);
    await expect(page.getByText(changed ?? "no new fingerprint").first()).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "pxlfox-proxy" })).toBeVisible();
  } finally {
    fleetCli(["rekey", "app", "--restore"]);
    // Back to the fleet's own record for the specs that follow.
    panelCli(["fleet", "import"]);
  }
});
