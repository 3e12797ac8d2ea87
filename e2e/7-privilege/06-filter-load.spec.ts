import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { fleetHost } from "../support/fleet";
import { describeHealthz, startHealthzProbe } from "../support/healthz";
import { cookieHeader, endedSilently, type HeldLogStream, openLogStream } from "../support/log-streams";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { countDaemonLogRequests, readDockerLog, removeLogContainer, startLogContainer } from "../3-logs/log-fixtures";
import { ADMIN, PANEL_URL, PASSWORD, SHELL_IMAGE, signedInContext, uniqueSuffix } from "./fixtures";

// Log filters run in linear time under a CPU budget: patterns that take JavaScript's backtracking
// engine exponential time on long lines leave the panel answering, and a filter the budget stops
// says so (incomplete), never looks like "no matches".

test.describe.configure({ mode: "serial" });

const s = uniqueSuffix();
const VIEWERS = Array.from({ length: 5 }, (_, i) => ({ email: `filter-viewer-${i + 1}-${s}@pixelfox.test`, password: PASSWORD }));
/** Adversarial lines: 8,000 a's then "!", and "word " 1,500 times then "!". */
const A_LINE = `${"a".repeat(8000)}!`;
const W_LINE = `${"word ".repeat(1500)}!`;
const FLOOD_SCRIPT = String.raw`A="$(head -c 8000 /dev/zero | tr '\0' a)!"; W="$(yes word | head -n 1500 | tr '\n' ' ')!"; while true; do echo "$A"; echo "$W"; sleep 0.1; done`;
const FLOOD_CACHE = `pxf-logtest-flood-${s}`;
const FLOOD_APP = `pxf-logtest-flood-app-${s}`;
/** 2,000 lines of 8,192 random a's and b's, then a marker line. */
const RANDOM_AB = `pxf-logtest-ab-${s}`;
const RANDOM_SCRIPT = String.raw`head -c 16384000 /dev/urandom | tr '\000-\177' a | tr -c a b | fold -w 8192; echo; echo LINES-DONE; exec sleep 100000`;

/** Each pattern with what it must let through of the flood (every line the panel sends is checked). */
const CACHE_PATTERNS: [string, (t: string) => boolean][] = [
  ["(a+)+$", () => false],
  ["(a|aa)+b", () => false],
  ["(\\w+\\s?)*$", (t) => t === A_LINE || t === W_LINE],
];
const APP_PATTERN: [string, (t: string) => boolean] = ["(.*a){20}", (t) => t === A_LINE];

const sockets = () => ({ app: fleetHost("app").dockerSocket, cache: fleetHost("cache").dockerSocket });
const hostFlags = new Map<string, boolean>();

async function asAdmin<T>(browser: Browser, fn: (request: APIRequestContext) => Promise<T>): Promise<T> {
  const { context, page } = await signedInContext(browser, ADMIN.email, ADMIN.password);
  try {
    return await fn(page.request);
  } finally {
    await context.close();
  }
}

test.beforeAll(async ({ browser }) => {
  panelCli(["fleet", "import"]);
  await startLogContainer(sockets().cache, FLOOD_CACHE, FLOOD_SCRIPT, SHELL_IMAGE.cache);
  await startLogContainer(sockets().app, FLOOD_APP, FLOOD_SCRIPT, SHELL_IMAGE.app);
  await startLogContainer(sockets().cache, RANDOM_AB, RANDOM_SCRIPT, SHELL_IMAGE.cache);
  await asAdmin(browser, async (request) => {
    for (const v of VIEWERS) await trpcMutation(request, "user.create", { email: v.email, password: v.password, role: "VIEWER" });
    // The flood containers are no stack service: viewers read them only where the host allows every log.
    for (const h of await trpcQuery<{ id: string; name: string; viewerLogsAllowed: boolean }[]>(request, "host.list", undefined)) {
      if (h.name !== "app" && h.name !== "cache") continue;
      hostFlags.set(h.id, h.viewerLogsAllowed);
      await trpcMutation(request, "host.setViewerLogs", { id: h.id, allowed: true });
    }
  });
});

test.afterAll(async ({ browser }) => {
  await removeLogContainer(sockets().cache, FLOOD_CACHE);
  await removeLogContainer(sockets().app, FLOOD_APP);
  await removeLogContainer(sockets().cache, RANDOM_AB);
  await asAdmin(browser, async (request) => {
    for (const [id, allowed] of hostFlags) await trpcMutation(request, "host.setViewerLogs", { id, allowed });
  });
});

test("20 followed streams with catastrophic regexes over 8 KB lines: the panel keeps answering", async ({ browser }) => {
  const cookies: string[] = [];
  for (const v of VIEWERS) {
    const { context } = await signedInContext(browser, v.email, v.password);
    cookies.push(await cookieHeader(context));
    await context.close();
  }
  const url = (host: string, container: string, pattern: string) =>
    `${PANEL_URL}/api/logs/stream?host=${host}&container=${container}&follow=1&tail=50&regex=1&q=${encodeURIComponent(pattern)}`;
  const streams: { pattern: string; stream: HeldLogStream }[] = [];
  try {
    // Each viewer: 3 streams on cache (the per-host cap) and 1 on app. Viewers of the same view share one remote stream.
    for (const cookie of cookies) {
      for (const [pattern, isExpected] of CACHE_PATTERNS)
        streams.push({ pattern, stream: await openLogStream(url("cache", FLOOD_CACHE, pattern), cookie, isExpected) });
      streams.push({ pattern: APP_PATTERN[0], stream: await openLogStream(url("app", FLOOD_APP, APP_PATTERN[0]), cookie, APP_PATTERN[1]) });
    }
    expect(streams.map((x) => `${x.stream.status} ${x.stream.refusal ?? ""}`)).toEqual(streams.map(() => "200 "));

    const probe = startHealthzProbe(PANEL_URL, 100);
    await new Promise((r) => setTimeout(r, 15_000));
    const figures = await probe.stop();
    const remote = { cache: await countDaemonLogRequests(sockets().cache), app: await countDaemonLogRequests(sockets().app) };
    console.log(describeHealthz(`${streams.length} filtered streams (${remote.cache} remote on cache, ${remote.app} on app)`, figures));
    for (const { pattern, stream } of streams.slice(0, 4))
      console.log(`[filter load] ${pattern}: ${stream.count} lines, end ${JSON.stringify(stream.end)}`);

    // Every probe answered within its 5 s timeout (a backtracking engine would hold the event loop for
    // ever on these lines); the latencies are printed above as figures, not asserted.
    expect(figures.failures).toBe(0);
    // Shared: one remote stream per view, not one per viewer.
    expect(remote.cache).toBeLessThanOrEqual(CACHE_PATTERNS.length);
    expect(remote.app).toBeLessThanOrEqual(1);
    for (const { pattern, stream } of streams) {
      expect(stream.unexpected, `${pattern}: lines that do not match were sent (${stream.lastTexts.join(" | ")})`).toBe(0);
      // A stream still open, or one the budget stopped and that says so; never one that just ended.
      expect(endedSilently(stream), `${pattern} ended without saying why`).toBe(false);
      if (stream.end) expect(stream.end, pattern).toMatchObject({ event: "error", code: "FILTER_BUDGET" });
    }
    // The patterns that match the flood did deliver it (unless the budget stopped them, which they said).
    for (const { pattern, stream } of streams.filter((x) => x.pattern === "(\\w+\\s?)*$" || x.pattern === "(.*a){20}"))
      if (!stream.end) expect(stream.count, pattern).toBeGreaterThan(0);
  } finally {
    await Promise.all(streams.map((x) => x.stream.close()));
  }
  for (const socket of Object.values(sockets())) await expect.poll(() => countDaemonLogRequests(socket), { timeout: 15_000 }).toBe(0);
});

test("a filter the CPU budget stops shows 'incomplete', never 'no matches', and the panel keeps answering", async ({ page }) => {
  await expect
    .poll(async () => (await readDockerLog(sockets().cache, RANDOM_AB, 1)).map((f) => f.payload.toString()).join(""), { timeout: 60_000 })
    .toContain("LINES-DONE");
  await signIn(page, VIEWERS[0]!.email, VIEWERS[0]!.password);
  const probe = startHealthzProbe(PANEL_URL, 100);
  try {
    const q = encodeURIComponent("a[ab]{120}[0-9]");
    await page.goto(`/logs?host=cache&container=${RANDOM_AB}&tail=all&follow=0&regex=1&q=${q}`);
    const notice = page.getByTestId("log-filter-stopped");
    await expect(notice).toBeVisible({ timeout: 60_000 });
    await expect(notice).toContainText("The filter was stopped: the results are incomplete");
    await expect(notice).toContainText(/The filter was stopped after [\d,]+ lines because/);
    await expect(page.getByTestId("log-status")).toHaveText("incomplete");
    await expect(page.getByTestId("log-no-match")).toHaveCount(0);
    await new Promise((r) => setTimeout(r, 2_000));
  } finally {
    const figures = await probe.stop();
    console.log(describeHealthz("a filter stopped by its budget", figures));
    expect(figures.failures).toBe(0);
  }
});

test("a filter that matches nothing in a finished window says 'no line matches'", async ({ page }) => {
  await signIn(page, VIEWERS[0]!.email, VIEWERS[0]!.password);
  await page.goto(`/logs?host=app&container=pxlfox-proxy&tail=200&follow=0&q=no-such-text-${s}`);
  await expect(page.getByTestId("log-no-match")).toHaveText("No line matches the filter in this window.");
  await expect(page.getByTestId("log-status")).toHaveText("ended");
  await expect(page.getByTestId("log-count")).toHaveText("0 lines");
  await expect(page.getByTestId("log-filter-stopped")).toHaveCount(0);
});
