import { expect, test, type Page } from "@playwright/test";
import { fleetStatus } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";
import { ADMIN, ensureStack, expectJobOnPage, failedStep, jobIdOf, jobLog, resetBare } from "./golive-fixtures";
import { containersOn, srvOn } from "./host-checks";

const STACK = "golive-fail";
const SERVICES: [string, string][] = [
  ["db", "bare1"],
  ["cache", "bare2"],
  ["app", "bare3"],
  ["proxy", "bare3"],
];

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  test.setTimeout(120_000);
  resetBare();
});

async function goLiveFromPage(page: Page, tag: string): Promise<string> {
  await page.getByLabel("App image tag").fill(tag);
  await page.getByRole("button", { name: "Go live", exact: true }).click();
  const dialog = page.getByRole("alertdialog");
  return jobIdOf(page, "golive.goLive", () => dialog.getByRole("button", { name: "Go live" }).click());
}

test("a db image that does not exist fails at its pull, leaves the host as it was, and a second go-live after the fix succeeds", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const fleet = fleetStatus();
  await signIn(page, ADMIN.email, ADMIN.password);
  await ensureStack(page.request, STACK, "http://10.213.77.33", SERVICES, {
    smokeSteps: ["ping", "home"],
    images: { db: `${fleet.registry.host}/library/mariadb:nope` },
  });
  await page.goto(`/stacks/${STACK}/go-live`);

  const first = await goLiveFromPage(page, "v2.0.0");
  const failed = await expectJobOnPage(page, first, "failed", 120_000);
  expect(failedStep(failed)).toBe("db@bare1:pull");
  await expect(page.locator('[data-step="db@bare1:pull"]')).toHaveAttribute("data-status", "failed");
  const log = await jobLog(page.request, first);
  expect(
    log.some((l) => l.includes("the db on bare1 was not brought up; everything this run made was removed: the host is as it was")),
    log.join("\n"),
  ).toBe(true);
  // What the job says, on the host: no container, and /srv as reset-bare left it (no /srv/mysql).
  expect(containersOn("bare1").has("pxlfox-db")).toBe(false);
  expect.soft(srvOn("bare1"), "bare1's /srv after the failed db provisioning (the job said: the host is as it was)").toEqual([]);
  // The roles after the db were never started.
  expect([...containersOn("bare2").keys()]).toEqual([]);
  expect([...containersOn("bare3").keys()]).toEqual([]);

  panelCli(["stack", "golive-settings", "--name", STACK, "--json", JSON.stringify({ images: { db: fleet.roleImages.db } })]);
  const second = await goLiveFromPage(page, "v2.0.0");
  await expectJobOnPage(page, second, "succeeded", 240_000);
  const again = await jobLog(page.request, second);
  // The environment the first run generated is the one used now: the go-live went on from where it stopped.
  expect(
    again.some((l) => /^using the app's environment version \d+$/.test(l)),
    again.join("\n"),
  ).toBe(true);
  expect(
    again.some((l) => l === "db on bare1: provisioned"),
    again.join("\n"),
  ).toBe(true);
  expect(containersOn("bare1").get("pxlfox-db")?.state).toBe("running");
  const ping = await fetch("http://10.213.77.33/api/v1/ping");
  expect(await ping.text()).toContain("pong");
});
