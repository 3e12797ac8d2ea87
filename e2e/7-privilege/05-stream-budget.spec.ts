import { expect, test, type APIRequestContext } from "@playwright/test";
import { fleetHost, fleetStatus } from "../support/fleet";
import { type EndedJob, waitForJobEnd } from "../support/jobs";
import { cookieHeader, type HeldLogStream, openLogStream } from "../support/log-streams";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation } from "../support/trpc";
import { servedVersion } from "../support/traffic";
import { countDaemonLogRequests } from "../3-logs/log-fixtures";
import { ADMIN, PANEL_URL, PASSWORD, signedInContext, STACK, uniqueSuffix } from "./fixtures";

// Log streams cannot starve operations: a viewer holds at most 3 streams per host (and 6 in all), the
// streams of a host take at most 3 of its SSH channels, and a deploy and a backup meanwhile succeed
// (an operation that found no channel would fail with the wait's HOST_TIMEOUT). Their durations are
// printed beside a run without streams, as figures, not asserted: the slot split itself is proven in
// server/adapters/ssh/pool-channels.test.ts.

const VIEWER = { email: `stream-viewer-${uniqueSuffix()}@pixelfox.test`, password: PASSWORD };

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
  panelCli(["user", "create", "--email", VIEWER.email, "--role", "viewer"], `${PASSWORD}\n`);
});

/**
 * Three different views of a host's stack containers, all a viewer may read: a different tail, or the
 * proxy's access-log view, is a different remote stream (only identical views share one).
 */
const VIEWS = {
  app: ["container=pxlfox-proxy&tail=10", "container=pxlfox-proxy&tail=11", "container=pxlfox-proxy&tail=10&source=proxy"],
  db: ["container=pxlfox-db&tail=10", "container=pxlfox-db&tail=11", "container=pxlfox-db&tail=12"],
};

/** Deploys the healthy tag that is not live and takes a database backup at the same time, as the admin. */
async function deployAndBackUp(request: APIRequestContext): Promise<{ tag: string; deploy: EndedJob; backup: EndedJob }> {
  const served = await servedVersion(`${fleetStatus().stack.publicDomain}/api/v1/ping`);
  const tag = served === "v1.1.0" ? "v1.0.0" : "v1.1.0";
  const deploy = await trpcMutation<{ jobId: string }>(request, "deploy.start", { stack: STACK, tag });
  const backup = await trpcMutation<{ jobId: string }>(request, "backups.create", { stack: STACK });
  const [d, b] = await Promise.all([waitForJobEnd(request, deploy.jobId), waitForJobEnd(request, backup.jobId)]);
  return { tag, deploy: d, backup: b };
}

const seconds = (ms: number | null) => `${((ms ?? 0) / 1000).toFixed(1)} s`;

test("a viewer's streams are capped per host and in all, and a deploy and a backup beside them succeed", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const sockets = { app: fleetHost("app").dockerSocket, db: fleetHost("db").dockerSocket };
  await signIn(page, ADMIN.email, ADMIN.password);
  for (const socket of Object.values(sockets)) await expect.poll(() => countDaemonLogRequests(socket), { timeout: 15_000 }).toBe(0);

  const baseline = await deployAndBackUp(page.request);
  expect(baseline.deploy.status, baseline.deploy.error ?? "").toBe("succeeded");
  expect(baseline.backup.status, baseline.backup.error ?? "").toBe("succeeded");

  const viewer = await signedInContext(browser, VIEWER.email, VIEWER.password);
  const cookie = await cookieHeader(viewer.context);
  const url = (host: string, view: string) => `${PANEL_URL}/api/logs/stream?host=${host}&${view}&follow=1`;
  const streams: HeldLogStream[] = [];
  try {
    for (const [host, views] of Object.entries(VIEWS)) for (const view of views) streams.push(await openLogStream(url(host, view), cookie));
    expect(streams.map((s) => `${s.status} ${s.refusal ?? ""}`)).toEqual(streams.map(() => "200 "));
    for (const socket of Object.values(sockets)) await expect.poll(() => countDaemonLogRequests(socket)).toBe(3);

    // A fourth on app is refused at once, in the viewer's page and on the API, and so is a seventh anywhere.
    const perHost = "You have 3 log streams open on app; close one first.";
    const fourth = await openLogStream(url("app", "container=pxlfox-app&tail=10"), cookie);
    expect([fourth.status, fourth.refusal]).toEqual([409, perHost]);
    await viewer.page.goto("/logs?host=app&container=pxlfox-app&tail=10");
    await expect(viewer.page.getByRole("alert").filter({ hasText: "The log could not be read" })).toContainText(perHost);
    await viewer.page.close();
    const seventh = await openLogStream(url("cache", "container=pxlfox-cache&tail=10"), cookie);
    expect([seventh.status, seventh.refusal]).toEqual([409, "You have 6 log streams open across all hosts; close one first."]);

    const loaded = await deployAndBackUp(page.request);
    console.log(
      `[stream budget] deploy ${baseline.tag}: ${seconds(baseline.deploy.durationMs)} without streams, ` +
        `deploy ${loaded.tag}: ${seconds(loaded.deploy.durationMs)} beside 6 streams; ` +
        `backup: ${seconds(baseline.backup.durationMs)} without, ${seconds(loaded.backup.durationMs)} beside them`,
    );
    expect(loaded.deploy.status, loaded.deploy.error ?? "").toBe("succeeded");
    expect(loaded.backup.status, loaded.backup.error ?? "").toBe("succeeded");
    // The streams lived through it.
    expect(streams.filter((s) => s.isClosed).map((s) => `${s.url}: ${JSON.stringify(s.end)}`)).toEqual([]);
  } finally {
    await Promise.all(streams.map((s) => s.close()));
    await viewer.context.close();
  }
  // Closed views end their remote requests (checked on the hosts).
  for (const socket of Object.values(sockets)) await expect.poll(() => countDaemonLogRequests(socket), { timeout: 15_000 }).toBe(0);
});
