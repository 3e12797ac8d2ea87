import { expect, test } from "@playwright/test";
import { onHost } from "../support/fleet";
import { signIn } from "../support/panel";
import { describeTraffic, servedVersion, startTraffic } from "../support/traffic";
import { ADMIN, expectJobOnPage, failedStep, importFleet, jobIdOf, jobLog, resetPlan } from "./golive-fixtures";
import { deployWithTraffic } from "./adopt-steps";
import { containersOn, dockerOn } from "./host-checks";

const STACK = "plannx";
const HOST = "plannx-app";
const PING = "http://10.213.77.24/api/v1/ping";
const SITE = "/srv/nginx/sites-enabled/pixelfox";
/** Where the driver keeps the upstream file by default (in the container: plannx mounts only sites-enabled). */
const UPSTREAM = "/etc/nginx/pixelfox-upstream.conf";

const inProxy = (argv: string[]) => dockerOn(HOST, ["exec", "pxlfox-proxy", ...argv]);
const masterPid = () => inProxy(["cat", "/run/nginx.pid"]).trim();

/** plannx as the templates laid it out: the site proxies straight to 127.0.0.1:4000, v2.0.0 runs, nothing else. */
function isPlannxAsLaidOut(): boolean {
  const site = onHost(HOST, ["cat", SITE]);
  const names = [...containersOn(HOST).keys()].sort();
  const hasUpstream = dockerOn(HOST, ["exec", "pxlfox-proxy", "sh", "-c", `test -e ${UPSTREAM} && echo yes || echo no`]).trim() === "yes";
  return (
    site.includes("proxy_pass http://127.0.0.1:4000;") &&
    !site.includes("include") &&
    !hasUpstream &&
    JSON.stringify(names) === JSON.stringify(["pxlfox-app", "pxlfox-proxy"]) &&
    containersOn(HOST).get("pxlfox-app")?.image.endsWith(":v2.0.0") === true
  );
}

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  test.setTimeout(300_000);
  // The Caddy spec before this one reset the plan-laid stacks and left plannx alone: reset only when needed.
  let fresh = false;
  try {
    fresh = isPlannxAsLaidOut();
  } catch {
    fresh = false;
  }
  if (fresh) importFleet();
  else resetPlan();
});

test("adopting the Nginx stack converts its site with nginx -t and a graceful reload: same master, no failed request", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  const pidBefore = masterPid();
  expect(pidBefore).toMatch(/^\d+$/);
  await page.goto(`/stacks/${STACK}/go-live`);
  await page.getByRole("button", { name: "Compare with the plan" }).click();
  await expect(page.getByTestId("adopt-differences").getByRole("row").filter({ hasText: "upstream" })).toContainText(
    "the site proxies to 127.0.0.1:4000 directly",
    { timeout: 30_000 },
  );

  await page.getByRole("button", { name: "Adopt", exact: true }).click();
  const dialog = page.getByRole("alertdialog");
  const traffic = startTraffic(PING);
  try {
    const jobId = await jobIdOf(page, "golive.adopt", () => dialog.getByRole("button", { name: "Adopt" }).click());
    await expectJobOnPage(page, jobId, "succeeded", 60_000);
    const log = await jobLog(page.request, jobId);
    const has = (re: RegExp) =>
      expect(
        log.some((l) => re.test(l)),
        `job log has ${re}:\n${log.join("\n")}`,
      ).toBe(true);
    has(/^changed: .*pixelfox-upstream\.conf.*: new, upstream pixelfox_upstream \{ server 127\.0\.0\.1:4000; \}/);
    has(/^changed: .*sites-enabled\/pixelfox.*top of the site: include \/etc\/nginx\/pixelfox-upstream\.conf;/);
    has(/^changed: .*sites-enabled\/pixelfox.*proxy_pass http:\/\/127\.0\.0\.1:4000 → http:\/\/pixelfox_upstream/);
    has(/nginx -t passed and nginx reloaded gracefully/);
  } finally {
    await traffic.stop();
  }
  console.log(describeTraffic("adopting plannx (nginx reload)", traffic.stats));
  expect(traffic.stats.failures, traffic.stats.errors.slice(0, 5).join("; ")).toBe(0);
  // A reload, not a restart: the same master process serves on.
  expect(masterPid()).toBe(pidBefore);
  const site = onHost(HOST, ["cat", SITE]);
  expect(site).toContain(`include ${UPSTREAM};`);
  expect(site).toContain("proxy_pass http://pixelfox_upstream;");
  expect(inProxy(["cat", UPSTREAM])).toContain("server 127.0.0.1:4000;");
});

test("a deploy switches the upstream file with zero failed requests", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  const pidBefore = masterPid();
  await deployWithTraffic(page, STACK, "v2.1.0", PING, "succeeded");
  expect(await servedVersion(PING)).toBe("v2.1.0");
  expect(inProxy(["cat", UPSTREAM])).toContain("server 127.0.0.1:4001;");
  expect(masterPid()).toBe(pidBefore);
});

test("a site broken by hand fails the next deploy at the proxy switch quoting nginx -t; traffic and the upstream file are untouched", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  const site = onHost(HOST, ["cat", SITE]);
  const upstreamBefore = inProxy(["cat", UPSTREAM]);
  onHost(HOST, ["sh", "-c", `printf 'garbage;\\n' >> ${SITE}`]);
  try {
    const { job } = await deployWithTraffic(page, STACK, "v2.0.0", PING, "failed");
    expect(failedStep(job)).toBe(`switch:${HOST}`);
    expect(job.error).toMatch(/nginx -t .*refused the config/);
    expect(job.error).toContain('unknown directive "garbage"');
    await expect(page.getByText(/unknown directive "garbage"/).first()).toBeVisible();
    expect(inProxy(["cat", UPSTREAM])).toBe(upstreamBefore);
    expect(await servedVersion(PING)).toBe("v2.1.0");
  } finally {
    onHost(HOST, ["sh", "-c", `cat > ${SITE}`], Buffer.from(site));
  }
  expect(onHost(HOST, ["cat", SITE])).toBe(site);
  // The restored site passes nginx -t again (nginx itself was never reloaded with the broken one).
  inProxy(["nginx", "-t"]);
});
