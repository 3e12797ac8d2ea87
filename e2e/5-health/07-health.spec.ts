import { execFileSync } from "node:child_process";
import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { fleetHost } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";
import { startSmtpReceiver, startWebhookReceiver } from "./receivers";
import { pressCheckNow } from "../support/check-now";

test.describe.configure({ mode: "serial" });

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const TMPFS = "/srv/pxf-tmpfs-test";
let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;

/** Start/stop a container on a fleet host through its Docker socket (the test's own view, not the panel's). */
function dockerPost(host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: fleetHost(host).dockerSocket, path, method: "POST" }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

async function checkNow(page: Page) {
  await pressCheckNow(page, page.getByRole("button", { name: "Check now" }), "health.checkNow");
}

const box = (page: Page, id: string) => page.getByTestId(`health-box-${id}`);

test.beforeAll(async () => {
  panelCli(["fleet", "import"]);
  webhook = await startWebhookReceiver();
  smtp = await startSmtpReceiver();
});
test.afterAll(async () => {
  await webhook?.close();
  await smtp?.close();
});

test("channels are validated and a test message reaches the webhook", async ({ page, baseURL }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/alerts");
  const form = page.getByRole("form", { name: "Add channel" });
  await form.getByLabel("Channel name").fill("self");
  await form.getByLabel("Webhook URL").fill(`${baseURL}/api/trpc/health.overview`);
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByText(/points at this panel itself/)).toBeVisible();

  await form.getByLabel("Channel name").fill("hook");
  await form.getByLabel("Webhook URL").fill(webhook.url);
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByTestId("channel-hook")).toBeVisible();

  await form.getByLabel("Channel type").selectOption("email");
  await form.getByLabel("Channel name").fill("mail");
  await form.getByLabel("SMTP host").fill("127.0.0.1");
  await form.getByLabel("SMTP port").fill(String(smtp.port));
  await form.getByLabel("From address").fill("ops@pixelfox.test");
  await form.getByLabel("Recipients").fill("not-an-address");
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByText(/valid recipient address/)).toBeVisible();
  await form.getByLabel("Recipients").fill("admin@pixelfox.test");
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByTestId("channel-mail")).toBeVisible();

  await page.getByTestId("channel-hook").getByRole("button", { name: "Send test" }).click();
  await expect.poll(() => webhook.texts.join("\n")).toContain("Test notification");
  await page.getByTestId("channel-mail").getByRole("button", { name: "Send test" }).click();
  await expect.poll(() => smtp.messages.join("\n")).toContain("Test notification");
});

test("a healthy fleet is all green, with the running tag and recorded samples", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/");
  await checkNow(page);
  for (const id of ["public-public", "proxy-app", "app-app", "db-db", "cache-cache"]) {
    await expect(box(page, id)).toHaveAttribute("data-status", "ok");
  }
  await expect(box(page, "app-app").getByTestId("box-tag")).toHaveText(/^v\d+\.\d+\.\d+/);
  await expect(page.getByTestId("check-db@db")).toContainText(/MariaDB/);
  await expect(page.getByTestId("check-cache@cache")).toContainText(/Redis 7/);
  await expect(page.getByTestId("chart-public-ping-latency")).not.toHaveAttribute("data-points", "0");
  await expect(page.getByTestId("chart-database-connections")).not.toHaveAttribute("data-points", "0");
  // The database specs ran before this one: their verified backups show on the dashboard.
  await expect(page.getByTestId("last-backup")).toContainText("Last good backup:");
  await expect(page.getByTestId("last-drill")).toBeVisible();
  await expect(page.getByTestId("chart-cache-memory-used")).not.toHaveAttribute("data-points", "0");
  // The sweep reached every host: the host list says so (not "not checked" until someone tests a connection).
  await page.goto("/hosts");
  for (const host of ["app", "db", "cache"]) {
    await expect(page.getByRole("row").filter({ has: page.getByRole("link", { name: host, exact: true }) })).toContainText(
      /ok\s*(just now|\d+ seconds? ago)/,
    );
  }
  await page.goto("/");

  await box(page, "app-app").click();
  await expect(page).toHaveURL(/\/health\/services\/[a-z0-9]+$/);
  await page.getByRole("link", { name: "Host app" }).click();
  await expect(page).toHaveURL(/\/health\/hosts\/[a-z0-9]+$/);
  await expect(page.getByTestId("host-status")).toHaveText("ok");
  await expect(page.getByTestId("mount-/")).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "pxlfox-app" }).first()).toBeVisible();
  await expect(page.getByTestId("chart-cpu")).not.toHaveAttribute("data-points", "0");
  await expect(page.locator("[data-testid=chart-cpu] canvas")).toBeVisible();
});

test("a stopped cache turns red, alerts both channels, and recovers with a notice", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/");
  const before = { hook: webhook.texts.length, mail: smtp.messages.length };
  expect(await dockerPost("cache", "/containers/pxlfox-cache/stop?t=1")).toBeLessThan(400);
  try {
    await checkNow(page);
    await expect(box(page, "cache-cache")).toHaveAttribute("data-status", "down");
    await expect(box(page, "app-app")).toHaveAttribute("data-status", "ok");
    await checkNow(page); // the "down" rule fires after 2 failed checks in a row
    await expect
      .poll(() => webhook.texts.slice(before.hook).join("\n"))
      .toMatch(/FIRING pixelfox[\s\S]*cache on cache is down[\s\S]*pxlfox-cache is exited/);
    await expect.poll(() => smtp.messages.slice(before.mail).join("\n")).toMatch(/FIRING pixelfox/);
  } finally {
    await dockerPost("cache", "/containers/pxlfox-cache/start");
  }
  await expect(async () => {
    await checkNow(page);
    await expect(box(page, "cache-cache")).toHaveAttribute("data-status", "ok", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect.poll(() => webhook.texts.slice(before.hook).join("\n")).toContain("RESOLVED pixelfox");
  await expect.poll(() => smtp.messages.slice(before.mail).join("\n")).toContain("RESOLVED pixelfox");
  await page.goto("/alerts");
  const event = page.getByTestId("alert-event").filter({ hasText: "cache@cache" }).first();
  await expect(event).toHaveAttribute("data-status", "resolved");
  await expect(event).toContainText("fire → hook: sent");
});

test("a mount filled past 90 % raises a disk alert", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  // A run that died mid-test may have left the mount behind.
  if (execFileSync("sh", ["-c", `mountpoint -q ${TMPFS} && echo yes || true`], { encoding: "utf8" }).trim() === "yes")
    execFileSync("umount", [TMPFS]);
  execFileSync("mkdir", ["-p", TMPFS]);
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=8m", "pxf-tmpfs-test", TMPFS]);
  try {
    execFileSync("dd", ["if=/dev/zero", `of=${TMPFS}/fill`, "bs=1M", "count=8"], { stdio: "ignore" }).toString();
  } catch {
    // dd stops with "no space left", which is the point.
  }
  try {
    await page.goto("/");
    await checkNow(page);
    await expect.poll(() => webhook.texts.join("\n")).toMatch(new RegExp(`FIRING pixelfox[\\s\\S]*${TMPFS} is 100 % full`));
    await page.goto("/alerts");
    await expect(
      page
        .getByTestId("alert-event")
        .filter({ hasText: `host:app:${TMPFS}` })
        .first(),
    ).toHaveAttribute("data-status", "firing");
  } finally {
    execFileSync("umount", [TMPFS]);
    execFileSync("rmdir", [TMPFS]);
  }
  await page.goto("/");
  await checkNow(page);
  await expect.poll(() => webhook.texts.join("\n")).toContain(`${TMPFS} is no longer mounted`);
});
