import { execFileSync } from "node:child_process";
import { expect, type Page } from "@playwright/test";

export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? "/tmp/pxf-e2e-data";

/** Runs the operator CLI against the e2e panel's store. */
export function panelCli(args: string[], stdin?: string): string {
  return execFileSync(process.execPath, ["--import", "tsx", "scripts/panel-cli.ts", ...args], {
    encoding: "utf8",
    input: stdin,
    env: { ...process.env, PANEL_DATA_DIR: E2E_DATA_DIR },
  });
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}
