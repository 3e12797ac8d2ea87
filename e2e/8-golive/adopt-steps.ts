import { expect, type Page } from "@playwright/test";
import { describeTraffic, startTraffic } from "../support/traffic";
import { expectJobOnPage, jobIdOf, type JobView } from "./golive-fixtures";

/** A row of the adoption's differences table: where (role@host), what, and how it runs now, marked a risk. */
export async function expectRisk(page: Page, where: string, what: string, running: string) {
  const row = page.getByTestId("adopt-differences").getByRole("row").filter({ hasText: where }).filter({ hasText: what });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(running);
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "risk");
}

/**
 * A deploy from the stack's deploy page while the zero-downtime loop runs through its proxy; the loop
 * must see no failed request whatever the deploy's outcome.
 */
export async function deployWithTraffic(
  page: Page,
  stack: string,
  tag: string,
  pingUrl: string,
  outcome: "succeeded" | "failed",
): Promise<{ job: JobView; stats: ReturnType<typeof startTraffic>["stats"] }> {
  await page.goto(`/deploy/${stack}`);
  await page.getByLabel("Image tag").fill(tag);
  // A browser-like client on keep-alive connections, and two clients opening a new connection per request.
  const traffic = startTraffic(pingUrl);
  const fresh = [
    startTraffic(pingUrl, { freshConnections: true, intervalMs: 0 }),
    startTraffic(pingUrl, { freshConnections: true, intervalMs: 0 }),
  ];
  let job: JobView;
  try {
    const jobId = await jobIdOf(page, "deploy.start", () => page.getByRole("button", { name: "Deploy", exact: true }).click());
    job = await expectJobOnPage(page, jobId, outcome, 150_000);
  } finally {
    await Promise.all([traffic.stop(), ...fresh.map((f) => f.stop())]);
  }
  console.log(describeTraffic(`deploy of ${tag} on ${stack} (${outcome})`, traffic.stats));
  for (const f of fresh) console.log(describeTraffic(`  same deploy, a new connection per request`, f.stats));
  expect(traffic.stats.requests).toBeGreaterThan(50);
  expect(traffic.stats.failures, traffic.stats.errors.slice(0, 5).join("; ")).toBe(0);
  for (const f of fresh) expect(f.stats.failures, f.stats.errors.slice(0, 5).join("; ")).toBe(0);
  return { job, stats: traffic.stats };
}
