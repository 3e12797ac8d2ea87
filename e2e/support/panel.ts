import { execFileSync } from "node:child_process";
import { expect, type Page } from "@playwright/test";

export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? "/tmp/pxf-e2e-data";

/** Runs the operator CLI against the e2e panel's store. */
export function panelCli(
  args: string[],
  stdin?: string,
  env: NodeJS.ProcessEnv = { ...process.env, PANEL_DATA_DIR: E2E_DATA_DIR },
): string {
  return execFileSync(process.execPath, [...panelCliEntry(), ...args], { encoding: "utf8", input: stdin, env });
}

/** The CLI as the run's global setup bundled it (see global-setup.ts), or its sources through tsx. */
export function panelCliEntry(): string[] {
  const bundle = process.env.PXF_PANEL_CLI;
  return bundle ? [bundle] : ["--import", "tsx", "scripts/panel-cli.ts"];
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}
