import { expect, test } from "@playwright/test";
import { fleetStatus, onHost } from "../support/fleet";
import { signIn } from "../support/panel";
import { trpcQuery } from "../support/trpc";
import { servedVersion } from "../support/traffic";
import { deployWithTraffic } from "./adopt-steps";
import { ADMIN, ALL_SMOKE, ensureStack, expectJobOnPage, jobIdOf, jobLog, resetBare, SMOKE_LINES } from "./golive-fixtures";
import { anonymousPing, containersOn, GOLIVE_STACK, modeOn } from "./host-checks";

const { name: STACK, domain: DOMAIN } = GOLIVE_STACK;
const PING = `${DOMAIN}/api/v1/ping`;
const PLAN_DEFAULT_IMAGES = {
  db: "mysql:8.4",
  cache: "docker.dragonflydb.io/dragonflydb/dragonfly",
  caddy: "caddy:2",
  nginx: "nginx:1.27",
};
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  test.setTimeout(120_000);
  resetBare();
});

test("go live on four bare hosts from the page: the corrections said, every smoke step ok, the hosts as the plan wants them", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const fleet = fleetStatus();
  await signIn(page, ADMIN.email, ADMIN.password);
  // The stack and its placement (db bare1, cache bare2, app + proxy bare3, storage bare4), with the plan's
  // default images and smoke steps: the settings card below sets the fleet's.
  await ensureStack(page.request, STACK, DOMAIN, GOLIVE_STACK.services, { smokeSteps: ["ping", "home"], images: PLAN_DEFAULT_IMAGES });

  await page.goto(`/stacks/${STACK}/go-live`);
  // Provisioning and smoke tests: the fleet registry's images, and all five smoke steps.
  await page.getByLabel("Database image", { exact: true }).fill(fleet.roleImages.db);
  await page.getByLabel("Cache image", { exact: true }).fill(fleet.roleImages.cache);
  await page.getByLabel("Caddy image", { exact: true }).fill(fleet.roleImages.caddy);
  await page.getByLabel("Nginx image", { exact: true }).fill(fleet.roleImages.nginx);
  for (const step of ["account", "upload", "direct-upload"]) await page.getByRole("checkbox", { name: step, exact: true }).check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Go-live settings saved")).toBeVisible();
  const saved = await trpcQuery<{ images: Record<string, string>; smokeSteps: string[]; proxy: string }>(page.request, "golive.settings", {
    stack: STACK,
  });
  expect(saved.images).toEqual(fleet.roleImages);
  expect([...saved.smokeSteps].sort()).toEqual([...ALL_SMOKE].sort());
  expect(saved.proxy).toBe("caddy");

  await page.getByLabel("App image tag").fill("v2.0.0");
  await page.getByRole("button", { name: "Go live", exact: true }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText(`Take ${STACK} live with v2.0.0?`);
  const jobId = await jobIdOf(page, "golive.goLive", () => dialog.getByRole("button", { name: "Go live" }).click());
  await expectJobOnPage(page, jobId, "succeeded", 240_000);

  const log = await jobLog(page.request, jobId);
  const has = (re: RegExp) =>
    expect(
      log.some((l) => re.test(l)),
      `job log has ${re}:\n${log.join("\n")}`,
    ).toBe(true);
  has(/no --default-authentication-plugin/);
  has(/3306 published on the private address 10\.213\.77\.31 only/);
  has(/started with a generated password/);
  has(/6379 published on the private address 10\.213\.77\.32 only/);
  has(/4000 published on 127\.0\.0\.1 only \(the proxy shares this host\)/);
  has(/4000 published on the private address 10\.213\.77\.34 only; NODE_ID=bare4/);
  for (const step of SMOKE_LINES) has(new RegExp(`^smoke ${escapeRe(step)}: ok \\(`));
  expect(log.filter((l) => /^smoke /.test(l) && !/^smoke account /.test(l) && !/^smoke steps: /.test(l) && !/: ok \(/.test(l))).toEqual([]);
  has(/^storage pool: pass/);
  has(/^changed: net\.ipv4\.tcp_migrate_req 0 → 1, persisted in \/etc\/sysctl\.d\/60-pixelfox-proxy\.conf on bare3/);

  // On the hosts: db and cache on their private address only, the cache refuses a PING without its password.
  expect(containersOn("bare1").get("pxlfox-db")?.ports).toContain("10.213.77.31:3306->3306/tcp");
  expect(containersOn("bare2").get("pxlfox-cache")?.ports).toContain("10.213.77.32:6379->6379/tcp");
  expect(containersOn("bare3").get("pxlfox-app")?.ports).toContain("127.0.0.1:4000->4000/tcp");
  expect(containersOn("bare3").get("pxlfox-proxy")?.state).toBe("running");
  expect(containersOn("bare4").get("pxlfox-storage")?.ports).toContain("10.213.77.34:4000->4000/tcp");
  expect(await anonymousPing("10.213.77.32", 6379)).toMatch(/^-NOAUTH/);
  for (const [host, file] of [
    ["bare1", "/srv/mysql/.env"],
    ["bare2", "/srv/dragonfly/.env"],
    ["bare3", "/srv/pixelfox/.env"],
    ["bare4", "/srv/pixelfox/.env"],
  ] as const)
    expect(modeOn(host, file), `${file} on ${host}`).toBe("600");
  // The proxy host's kernel moves connections queued on a listener Caddy closes to the new one, after a reboot too.
  expect(onHost("bare3", ["cat", "/proc/sys/net/ipv4/tcp_migrate_req"]).trim()).toBe("1");
  expect(onHost("bare3", ["cat", "/etc/sysctl.d/60-pixelfox-proxy.conf"])).toContain("net.ipv4.tcp_migrate_req = 1");
  const ping = await fetch(PING);
  expect(ping.status).toBe(200);
  expect(await ping.text()).toContain("pong");
  expect(ping.headers.get("x-app-version")).toBe("v2.0.0");
});

test("the stack just taken live deploys v2.1.0 from the deploy page with zero failed requests", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  expect(await servedVersion(PING)).toBe("v2.0.0");
  const { stats } = await deployWithTraffic(page, STACK, "v2.1.0", PING, "succeeded");
  expect(stats.versions.get("v2.1.0")).toBeGreaterThan(0);
  expect(await servedVersion(PING)).toBe("v2.1.0");
});
