import { expect, type Page } from "@playwright/test";
import { trpcQuery } from "../support/trpc";

/** Presses "Back up now" on the open database page and returns the new backup's id once it shows verified. */
export async function backUpNow(page: Page): Promise<string> {
  const before = (await trpcQuery<unknown[]>(page.request, "backups.list", { stack: "pixelfox" })).length;
  await page.getByRole("button", { name: "Back up now" }).click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(page.locator('[data-testid^="backup-c"]')).toHaveCount(before + 1);
  const first = page.locator('[data-testid^="backup-c"]').first();
  await expect(first).toContainText("verified", { timeout: 60_000 });
  return ((await first.getAttribute("data-testid")) ?? "").replace("backup-", "");
}

/** Presses "Drill" on a backup's row and waits for the expected outcome on the row and the job. */
export async function drill(page: Page, id: string, outcome: "passed" | "failed") {
  const row = page.getByTestId(`backup-${id}`);
  await row.getByRole("button", { name: "Drill" }).click();
  await expect(row.getByTestId("backup-drill")).toHaveAttribute("data-status", outcome, { timeout: 60_000 });
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", outcome === "passed" ? "succeeded" : "failed", {
    timeout: 15_000,
  });
  return row;
}
