import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { fleetStatus } from "../support/fleet";
import { waitForJobEnd } from "../support/jobs";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { startSmtpReceiver, startWebhookReceiver } from "../5-health/receivers";
import { ADMIN, expectNoneOf, lastLine, PASSWORD, randomSecret, signedInContext, STACK, uniqueSuffix } from "./fixtures";

// What a viewer reads holds no credential: alert channels are masked, and a failed deploy's evidence
// (the broken build's own log, kept for the operator) is redacted of every secret the panel knows.

test.describe.configure({ mode: "serial" });

const s = uniqueSuffix();
const VIEWER = { email: `privacy-viewer-${s}@pixelfox.test`, password: PASSWORD };
const HOOK = `priv-hook-${s}`;
const MAIL = `priv-mail-${s}`;
/** The part of a Slack-style webhook URL that is its credential. */
const HOOK_TOKEN = randomSecret(24);
const SMTP_USER = `alerts-bot-${s}`;
const SMTP_PASSWORD = randomSecret(20);

let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let hookUrl = "";
let viewerToken = "";

interface ChannelView {
  id: string;
  name: string;
  url: string | null;
  email: { username: string | null; hasPassword: boolean } | null;
}

test.beforeAll(async () => {
  panelCli(["fleet", "import"]);
  panelCli(["user", "create", "--email", VIEWER.email, "--role", "viewer"], `${VIEWER.password}\n`);
  viewerToken = lastLine(panelCli(["token", "create", "--name", `privacy-viewer-${s}`, "--role", "viewer"]));
  webhook = await startWebhookReceiver();
  smtp = await startSmtpReceiver();
  hookUrl = `http://127.0.0.1:${new URL(webhook.url).port}/T000/B000/${HOOK_TOKEN}`;
});

test.afterAll(async ({ browser }) => {
  // The channels go again (the receivers behind them stop with this spec).
  const { context, page } = await signedInContext(browser, ADMIN.email, ADMIN.password);
  try {
    for (const c of await trpcQuery<ChannelView[]>(page.request, "alerts.channels", undefined))
      if (c.name === HOOK || c.name === MAIL) await trpcMutation(page.request, "alerts.deleteChannel", { id: c.id });
  } finally {
    await context.close();
    await webhook?.close();
    await smtp?.close();
  }
});

async function viewerSession(browser: Browser) {
  return signedInContext(browser, VIEWER.email, VIEWER.password);
}

test("alert channels: the admin sees the webhook URL and SMTP user in full, a viewer only their masked forms", async ({
  page,
  browser,
}) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/alerts");
  const form = page.getByRole("form", { name: "Add channel" });
  await form.getByLabel("Channel name").fill(HOOK);
  await form.getByLabel("Webhook URL").fill(hookUrl);
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByTestId(`channel-${HOOK}`)).toContainText(hookUrl);
  await form.getByLabel("Channel type").selectOption("email");
  await form.getByLabel("Channel name").fill(MAIL);
  await form.getByLabel("SMTP host").fill("127.0.0.1");
  await form.getByLabel("SMTP port").fill(String(smtp.port));
  await form.getByLabel("SMTP user").fill(SMTP_USER);
  await form.getByLabel("SMTP password").fill(SMTP_PASSWORD);
  await form.getByLabel("From address").fill("ops@pixelfox.test");
  await form.getByLabel("Recipients").fill("admin@pixelfox.test");
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByTestId(`channel-${MAIL}`)).toBeVisible();

  const asAdmin = await trpcQuery<ChannelView[]>(page.request, "alerts.channels", undefined);
  expect(asAdmin.find((c) => c.name === HOOK)?.url).toBe(hookUrl);
  expect(asAdmin.find((c) => c.name === MAIL)?.email).toMatchObject({ username: SMTP_USER, hasPassword: true });
  // The SMTP password is never sent back, not even to an admin.
  expectNoneOf(JSON.stringify(asAdmin), { "SMTP password": SMTP_PASSWORD }, "alerts.channels (admin)");

  const viewer = await viewerSession(browser);
  try {
    await viewer.page.goto("/alerts");
    const masked = `http://127.0.0.1:${new URL(hookUrl).port}/…(masked)`;
    await expect(viewer.page.getByTestId(`channel-${HOOK}`)).toContainText(masked);
    await expect(viewer.page.getByTestId(`channel-${MAIL}`)).toBeVisible();
    await expect(viewer.page.getByRole("form", { name: "Add channel" })).toHaveCount(0);
    await expect(viewer.page.getByRole("button", { name: "Send test" })).toHaveCount(0);
    const planted = { "webhook token": HOOK_TOKEN, "SMTP user": SMTP_USER, "SMTP password": SMTP_PASSWORD };
    expectNoneOf(await viewer.page.content(), planted, "the viewer's alerts page");

    const asViewer = await trpcQuery<ChannelView[]>(viewer.page.request, "alerts.channels", undefined);
    expect(asViewer.find((c) => c.name === HOOK)?.url).toBe(masked);
    expect(asViewer.find((c) => c.name === MAIL)?.email).toMatchObject({ username: `${SMTP_USER.slice(0, 2)}•••`, hasPassword: true });
    expectNoneOf(JSON.stringify(asViewer), planted, "alerts.channels (viewer)");
  } finally {
    await viewer.context.close();
  }
});

interface EnvVersion {
  id: string;
  version: number;
}
interface Deployment {
  jobId: string;
  tag: string;
  status: string;
  error: string | null;
  evidence: { hosts?: { failedLogs?: string[] }[] };
}

/** The live environment's newest version (importing it from the running app first when it is not managed yet). */
async function currentEnv(request: APIRequestContext): Promise<EnvVersion> {
  let versions = await trpcQuery<EnvVersion[]>(request, "env.list", { stack: STACK });
  if (versions.length === 0) {
    await trpcMutation(request, "env.importFromLive", { stack: STACK });
    versions = await trpcQuery<EnvVersion[]>(request, "env.list", { stack: STACK });
  }
  const [latest] = versions;
  if (!latest) throw new Error("the stack has no environment version");
  return latest;
}

/** The env text without the keys this test plants (a key may appear once). */
function withoutPlantedKeys(text: string): string {
  const kept = text.split("\n").filter((l) => !/^\s*(export\s+)?(NODE_ID|UPLOAD_TOKEN_SECRET)\s*=/.test(l));
  return `${kept.join("\n").replace(/\n+$/, "")}\n`;
}

async function expectJobLogClean(page: Page, jobId: string, planted: Record<string, string>) {
  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "failed");
  // The broken build's own log is there (its start line names the node: the planted value, replaced).
  await expect(page.getByRole("log", { name: "Job log" })).toContainText("PixelFox stand-in starting");
  await expect(page.getByRole("log", { name: "Job log" })).toContainText("node=[REDACTED]");
  expectNoneOf(await page.content(), planted, "the job page");
  const download = await page.request.get(`/api/jobs/${jobId}/log`);
  expect(download.status()).toBe(200);
  expectNoneOf(await download.text(), planted, "the job log download");
}

test("a failed deploy's evidence, job log, history and audit show a viewer none of the stack's secrets", async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(150_000);
  const secret = randomSecret(40);
  const planted = { "env secret": secret, "registry password": fleetStatus().registry.password, "webhook token": HOOK_TOKEN };
  await signIn(page, ADMIN.email, ADMIN.password);
  // A short health gate: the broken build never answers, so the gate's whole budget is spent.
  const settings = await trpcQuery<Record<string, unknown>>(page.request, "stack.deploySettings", { idOrName: STACK });
  await trpcMutation(page.request, "stack.setDeploySettings", {
    idOrName: STACK,
    settings: { ...settings, healthStartPeriodMs: 0, healthAttempts: 4, healthIntervalMs: 500, healthTimeoutMs: 1000 },
  });
  const previous = await currentEnv(page.request);
  try {
    // The env holds a secret under a secret-looking key, and the same value as NODE_ID, which the app prints when it starts.
    const { text } = await trpcMutation<{ text: string }>(page.request, "env.reveal", { id: previous.id });
    await trpcMutation(page.request, "env.save", {
      stack: STACK,
      content: `${withoutPlantedKeys(text)}UPLOAD_TOKEN_SECRET=${secret}\nNODE_ID=${secret}\n`,
      note: "e2e: a secret the broken build prints",
    });
    const started = await trpcMutation<{ jobId: string }>(page.request, "deploy.start", { stack: STACK, tag: "v1.2.0-broken" });
    const job = await waitForJobEnd(request, started.jobId, { token: viewerToken });
    expect(job.status).toBe("failed");
    expect(job.error).toMatch(/Health gate failed on app/);

    // The REST history a viewer's token reads: the evidence keeps the broken build's log, redacted.
    const history = await request.get(`/api/v1/stacks/${STACK}/deployments`, { headers: { authorization: `Bearer ${viewerToken}` } });
    expect(history.status()).toBe(200);
    const body = await history.text();
    expectNoneOf(body, planted, "GET /api/v1/stacks/pixelfox/deployments");
    const failed = ((JSON.parse(body) as { deployments: Deployment[] }).deployments ?? []).find((d) => d.jobId === started.jobId);
    expect(failed?.status).toBe("failed");
    const evidence = (failed?.evidence.hosts ?? []).flatMap((h) => h.failedLogs ?? []).join("\n");
    expect(evidence).toContain("PixelFox stand-in starting");
    expect(evidence).toContain("node=[REDACTED]");

    const viewer = await signedInContext(browser, VIEWER.email, VIEWER.password);
    try {
      await viewer.page.goto(`/deploy/${STACK}`);
      await expect(viewer.page.getByRole("row").filter({ hasText: "v1.2.0-broken" }).filter({ hasText: "failed" }).first()).toBeVisible();
      expectNoneOf(await viewer.page.content(), planted, "the viewer's deploy page");
      expectNoneOf(
        JSON.stringify(await trpcQuery(viewer.page.request, "deploy.history", { stack: STACK })),
        planted,
        "deploy.history (viewer)",
      );
      await expectJobLogClean(viewer.page, started.jobId, planted);

      const audit = JSON.stringify(await trpcQuery(viewer.page.request, "audit.list", { limit: 1000 }));
      expect(audit, "the env change is audited by key").toContain("UPLOAD_TOKEN_SECRET");
      expectNoneOf(audit, planted, "audit.list (viewer)");
      await viewer.page.goto("/audit");
      await expect(viewer.page.getByRole("row").filter({ hasText: "env.save" }).first()).toBeVisible();
      expectNoneOf(await viewer.page.content(), planted, "the viewer's audit page");
      expectNoneOf(JSON.stringify(await trpcQuery(viewer.page.request, "alerts.history", { limit: 500 })), planted, "alert history");

      // The stack as a viewer reads it: the registry user masked, its password never.
      const view = await trpcQuery<{ stack: { registryUsername: string | null } }>(viewer.page.request, "stack.get", { idOrName: STACK });
      const user = fleetStatus().registry.username;
      expect(view.stack.registryUsername).toBe(user.length <= 3 ? "•••" : `${user.slice(0, 2)}•••`);
      expectNoneOf(JSON.stringify(view), planted, "stack.get (viewer)");
    } finally {
      await viewer.context.close();
    }
  } finally {
    // The environment the app ran with before, as the newest version again; the gate as it was.
    await trpcMutation(page.request, "env.restore", { id: previous.id });
    await trpcMutation(page.request, "stack.setDeploySettings", { idOrName: STACK, settings });
  }
});
