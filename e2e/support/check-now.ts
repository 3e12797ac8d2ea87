import { expect, type Locator, type Page } from "@playwright/test";

/**
 * Presses a "Check now" button and waits for its sweep's answer (not for the button's state: a click
 * can return before React disables it, and a fresh sweep of an unreachable host takes its deadline).
 */
export async function pressCheckNow(
  page: Page,
  button: Locator,
  procedure: "health.checkNow" | "health.checkOtherHosts",
  timeout = 60_000,
) {
  const answered = page.waitForResponse((r) => r.url().includes(`/api/trpc/${procedure}`) && r.request().method() === "POST", { timeout });
  await button.click();
  expect((await answered).ok(), `${procedure} failed`).toBe(true);
  await expect(button).toBeEnabled();
}
