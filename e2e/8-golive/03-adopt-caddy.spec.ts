import { expect, test } from "@playwright/test";
import { dockerApi, fleetHost, onHost } from "../support/fleet";
import { signIn } from "../support/panel";
import { servedVersion } from "../support/traffic";
import { ADMIN, expectJobOnPage, jobIdOf, jobLog, resetPlan } from "./golive-fixtures";
import { deployWithTraffic, expectRisk } from "./adopt-steps";

const STACK = "plan";
const PING = "http://10.213.77.21/api/v1/ping";

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  test.setTimeout(300_000);
  // plan as the templates laid it out (an earlier run adopted it, deployed and stepped its db down).
  resetPlan();
});

test("compare the Caddy stack with the plan, adopt it (only the kernel setting Caddy's reloads need), deploy with zero failed requests", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  expect(await servedVersion(PING)).toBe("v2.0.0");
  await page.goto(`/stacks/${STACK}/go-live`);
  await page.getByRole("button", { name: "Compare with the plan" }).click();

  const services = page.getByTestId("adopt-services");
  await expect(services.getByRole("row").filter({ hasText: "plan-db" })).toContainText("0.0.0.0:3306→3306", { timeout: 30_000 });
  await expect(services.getByRole("row").filter({ hasText: "plan-cache" })).toContainText("0.0.0.0:6379→6379");
  // The plan's known faults, each listed as a risk (left as they are: fixing them restarts the service).
  await expectRisk(page, "db@plan-db", "port 3306", "published on every interface");
  await expectRisk(page, "cache@plan-cache", "port 6379", "published on every interface");
  await expectRisk(page, "cache@plan-cache", "password", "none: anyone who reaches 6379 reads the sessions");
  await expectRisk(page, "app@plan-app", "UPLOAD_TOKEN_SECRET", "a placeholder or short value");
  await expectRisk(page, "app@plan-app", "REPLICATION_SECRET", "a placeholder or short value");
  await expect(page.getByTestId("adopt-differences").getByRole("row").filter({ hasText: "upstream" })).toContainText(
    "Caddy sends traffic to 127.0.0.1:4000",
  );
  // The templates leave the kernel resetting connections queued when Caddy swaps listeners.
  await expect(page.getByTestId("adopt-differences").getByRole("row").filter({ hasText: "tcp_migrate_req" })).toContainText(
    "net.ipv4.tcp_migrate_req = 0 on plan-app",
  );
  expect(onHost("plan-app", ["cat", "/proc/sys/net/ipv4/tcp_migrate_req"]).trim()).toBe("0");
  const caddyfileBefore = onHost("plan-app", ["cat", "/srv/caddy/Caddyfile"]);

  await page.getByRole("button", { name: "Adopt", exact: true }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText(`Adopt ${STACK}?`);
  const jobId = await jobIdOf(page, "golive.adopt", () => dialog.getByRole("button", { name: "Adopt" }).click());
  await expectJobOnPage(page, jobId, "succeeded", 60_000);
  const log = await jobLog(page.request, jobId);
  // Caddy itself is left as it runs; the one change is the proxy host's kernel setting, persisted.
  expect(log.filter((l) => l.startsWith("changed:"))).toEqual([
    expect.stringMatching(/^changed: net\.ipv4\.tcp_migrate_req 0 → 1, persisted in \/etc\/sysctl\.d\/60-pixelfox-proxy\.conf on plan-app/),
  ]);
  expect(onHost("plan-app", ["cat", "/proc/sys/net/ipv4/tcp_migrate_req"]).trim()).toBe("1");
  expect(onHost("plan-app", ["cat", "/etc/sysctl.d/60-pixelfox-proxy.conf"])).toContain("net.ipv4.tcp_migrate_req = 1");
  expect(
    log.some((l) => /^RISK: db on plan-db: port 3306: published on every interface/.test(l)),
    log.join("\n"),
  ).toBe(true);
  expect(onHost("plan-app", ["cat", "/srv/caddy/Caddyfile"])).toBe(caddyfileBefore);

  const { stats } = await deployWithTraffic(page, STACK, "v2.1.0", PING, "succeeded");
  expect(stats.versions.get("v2.1.0")).toBeGreaterThan(0);
  expect(await servedVersion(PING)).toBe("v2.1.0");
  // The Caddyfile was kept in step with the live switch.
  const caddyfile = onHost("plan-app", ["cat", "/srv/caddy/Caddyfile"]);
  expect(caddyfile).toContain("reverse_proxy 127.0.0.1:4001");
  expect(caddyfile).not.toContain("reverse_proxy 127.0.0.1:4000");
});

test("Caddy restarted by hand comes back from its Caddyfile with the new upstream", async () => {
  test.setTimeout(60_000);
  const restarted = await dockerApi(fleetHost("plan-app").dockerSocket, "POST", "/containers/pxlfox-proxy/restart?t=2");
  expect(restarted.status).toBe(204);
  await expect.poll(() => servedVersion(PING).catch(() => null), { timeout: 30_000, intervals: [500] }).toBe("v2.1.0");
});
