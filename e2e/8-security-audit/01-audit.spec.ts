import { expect, test, type Page } from "@playwright/test";
import { onHost } from "../support/fleet";
import { signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { startSmtpReceiver, startWebhookReceiver } from "../5-health/receivers";
import { ADMIN, resetPlan } from "../8-golive/golive-fixtures";
import { checkOf, overview, recreate, runAuditFromPage } from "./audit-fixtures";

// The plan-laid stack as the templates and a half-followed Security Baseline leave it (fleet/lib/plan.ts,
// fleet/lib/firewall.ts): 3306 and 6379 published on every interface, a cache without a password,
// password SSH on plan-db, no firewall on plan-cache, the placeholder UPLOAD_TOKEN_SECRET, the seeded accounts.
const STACK = "plan";
const CACHE_PASSWORD = "Zq8v3LrT0pWm6yXc2NbK9sHd4FgJ7aUe";

test.describe.configure({ mode: "serial" });

let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
const channelIds: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(300_000);
  resetPlan();
  webhook = await startWebhookReceiver();
  smtp = await startSmtpReceiver();
});
test.afterAll(async ({ browser }) => {
  test.setTimeout(300_000);
  const page = await browser.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  for (const id of channelIds) await trpcMutation(page.request, "alerts.deleteChannel", { id });
  await page.close();
  await webhook?.close();
  await smtp?.close();
  // Later runs and specs find plan as the templates leave it.
  resetPlan();
});

const row = (page: Page, host: string, label: string) =>
  page.getByRole("region", { name: host }).getByRole("listitem", { name: label, exact: true });

const seededCount = () =>
  onHost("plan-db", [
    "docker",
    "exec",
    "pxlfox-db",
    "sh",
    "-c",
    `MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mariadb -uroot -N -e "SELECT COUNT(*) FROM pixelfox_db.users WHERE email IN ('admin@test.de','test@test.de')"`,
  ]).trim();

test("the audit of the plan-laid stack lists each planted fault with the evidence it saw", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await runAuditFromPage(page, STACK);
  const r = page.request;

  const sshDb = await checkOf(r, STACK, "plan-db", "ssh-password-auth");
  expect(sshDb.verdict).toBe("fail");
  expect(sshDb.evidence).toMatch(/passwordauthentication:? yes/i);
  expect((await checkOf(r, STACK, "plan-app", "ssh-password-auth")).verdict).toBe("pass");

  const fwCache = await checkOf(r, STACK, "plan-cache", "firewall-active");
  expect(fwCache.verdict).toBe("fail");
  expect(fwCache.fix).toContain("ufw");
  expect((await checkOf(r, STACK, "plan-db", "firewall-active")).verdict).toBe("pass");
  expect((await checkOf(r, STACK, "plan-app", "firewall-active")).verdict).toBe("pass");

  // Docker publishes past ufw: plan-db's firewall allows 3306 from the app hosts only, yet the panel connects.
  const db3306 = await checkOf(r, STACK, "plan-db", "ports-published:3306");
  expect(db3306.verdict).toBe("fail");
  expect(db3306.evidence).toMatch(/0\.0\.0\.0|all interfaces/);
  expect(db3306.evidence).toMatch(/10\.213\.77\.22:3306 from the panel: open/);
  expect((await checkOf(r, STACK, "plan-cache", "ports-published:6379")).verdict).toBe("fail");
  expect((await checkOf(r, STACK, "plan-app", "ports-4000-internal")).verdict).toBe("pass");

  const cacheAuth = await checkOf(r, STACK, "plan-cache", "cache-auth-required");
  expect(cacheAuth.verdict).toBe("fail");
  expect(cacheAuth.evidence).toContain("PONG");

  const seeded = await checkOf(r, STACK, "plan-db", "db-seeded-accounts");
  expect(seeded.verdict).toBe("fail");
  expect(seeded.evidence).toContain("admin@test.de");

  const ov = await overview(r, STACK);
  const appChecks = ov.latest!.results.find((h) => h.host === "plan-app")!.checks;
  const secret = appChecks.filter((c) => c.area === "env" && c.id.endsWith(":UPLOAD_TOKEN_SECRET") && c.verdict === "fail");
  expect(secret.length, appChecks.map((c) => `${c.id} ${c.verdict}`).join("\n")).toBeGreaterThan(0);
  // Evidence never carries a secret's value (the placeholder is named only in the explanation of why).
  const evidence = ov.latest!.results.flatMap((h) => h.checks.map((c) => c.evidence)).join("\n");
  expect(evidence).not.toContain("change_this_secret");
  expect(evidence).not.toContain("change_this_replication_secret");

  // The page shows the same: plan-db's seeded accounts as a failing check, with the panel's fix offered.
  await page.reload();
  const seededRow = row(page, "plan-db", seeded.label);
  await expect(seededRow).toContainText("fail");
  await expect(seededRow.getByRole("button", { name: "Fix…" })).toBeVisible();
});

test("fixing each fault turns its check green on the next run; the accepted placeholder is shown with its reason", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto(`/stacks/${STACK}/security`);
  const r = page.request;

  // The panel's fix: a backup first, then the seeded accounts deleted (confirmed by typing the host).
  const seeded = await checkOf(r, STACK, "plan-db", "db-seeded-accounts");
  await row(page, "plan-db", seeded.label).getByRole("button", { name: "Fix…" }).click();
  const confirm = page.getByRole("alertdialog", { name: /Remove the seeded accounts on plan-db/ });
  await expect(confirm.getByRole("list", { name: "What will change" })).toContainText("admin@test.de");
  await confirm.getByLabel("Type plan-db to confirm").fill("plan-db");
  await confirm.getByRole("button", { name: "Apply fix" }).click();
  await expect(page.getByText(/deleted user admin@test\.de/).first()).toBeVisible({ timeout: 120_000 });
  expect(seededCount()).toBe("0");
  const events = await trpcQuery<{ action: string; details: unknown }[]>(r, "audit.list", { limit: 50 });
  const fix = events.find((e) => e.action === "security.fix");
  expect(JSON.stringify(fix?.details ?? null)).toMatch(/"backupId":"[a-z0-9]+"/);

  // By hand, as an operator would: password SSH off on plan-db (sshd reloaded), ufw on plan-cache,
  // the cache re-created with a password on its private address, the db on its private address.
  onHost("plan-db", [
    "sh",
    "-c",
    "sed 's/^PasswordAuthentication yes/PasswordAuthentication no/' /etc/ssh/sshd_config > /tmp/sshd_config.new && cat /tmp/sshd_config.new > /etc/ssh/sshd_config && kill -HUP \"$(cat \"$(awk '/^PidFile/ {print $2}' /etc/ssh/sshd_config)\")\"",
  ]);
  onHost("plan-cache", [
    "sh",
    "-c",
    "ufw default deny incoming && ufw allow 22/tcp && ufw allow from 10.213.77.21 to any port 6379 proto tcp && ufw allow from 10.213.77.24 to any port 6379 proto tcp && ufw --force enable",
  ]);
  await recreate("plan-cache", "pxlfox-cache", { hostIp: "10.213.77.23", extraCmd: ["--requirepass", CACHE_PASSWORD] });
  await recreate("plan-db", "pxlfox-db", { hostIp: "10.213.77.22" });
  // The private address is this sandbox's only one (the panel sits on that network too): Docker's
  // DOCKER-USER chain lets only the app hosts in, as the audit's fix says (ufw never sees this traffic).
  for (const [host, port] of [
    ["plan-db", 3306],
    ["plan-cache", 6379],
  ] as const) {
    const rule = (...extra: string[]) => [
      "iptables",
      "-I",
      "DOCKER-USER",
      "-p",
      "tcp",
      "-m",
      "conntrack",
      "--ctorigdstport",
      String(port),
      "--ctdir",
      "ORIGINAL",
      ...extra,
    ];
    onHost(host, rule("-j", "DROP"));
    for (const app of ["10.213.77.21", "10.213.77.24"]) onHost(host, rule("-s", app, "-j", "ACCEPT"));
  }
  await expect
    .poll(
      () => {
        try {
          return onHost("plan-db", ["docker", "exec", "pxlfox-db", "mariadb-admin", "ping", "-h", "127.0.0.1", "--silent"]).trim();
        } catch {
          return "down";
        }
      },
      { timeout: 90_000 },
    )
    .toContain("alive");

  // The placeholder secret stays (rotating it means a new env and a deploy): accepted, with a reason.
  const ov = await overview(r, STACK);
  const placeholder = ov
    .latest!.results.find((h) => h.host === "plan-app")!
    .checks.find((c) => c.area === "env" && c.id.endsWith(":UPLOAD_TOKEN_SECRET") && c.verdict === "fail")!;
  await page.reload();
  const secretRow = row(page, "plan-app", placeholder.label);
  await secretRow.getByRole("button", { name: "Accept risk" }).click();
  const dialog = page.getByRole("dialog", { name: /^Accept the risk: / });
  await dialog.getByLabel("Reason").fill("short");
  await dialog.getByRole("button", { name: "Accept risk" }).click();
  await expect(dialog.getByText("Say why, in at least 10 characters")).toBeVisible();
  await dialog.getByLabel("Reason").fill("rotated with the next release, ticket OPS-42");
  await dialog.getByRole("button", { name: "Accept risk" }).click();
  await expect(page.getByRole("table", { name: "Accepted risks" })).toContainText("ticket OPS-42");

  await runAuditFromPage(page, STACK);
  for (const [host, id] of [
    ["plan-db", "db-seeded-accounts"],
    ["plan-db", "ssh-password-auth"],
    ["plan-db", "ports-published:3306"],
    ["plan-cache", "firewall-active"],
    ["plan-cache", "ports-published:6379"],
    ["plan-cache", "cache-auth-required"],
  ] as const) {
    const c = await checkOf(r, STACK, host, id);
    expect(c.verdict, `${host} ${id}: ${c.evidence}`).toBe("pass");
  }
  const after = await overview(r, STACK);
  const changed = after.latest!.changes.filter((c) => c.from === "fail" && c.to === "pass").map((c) => `${c.host} ${c.checkId}`);
  expect(changed).toEqual(
    expect.arrayContaining(["plan-db db-seeded-accounts", "plan-db ssh-password-auth", "plan-cache firewall-active"]),
  );
  const stillPlaceholder = after.latest!.results.find((h) => h.host === "plan-app")!.checks.find((c) => c.id === placeholder.id)!;
  expect(stillPlaceholder.acceptedRisk?.reason).toBe("rotated with the next release, ticket OPS-42");
  const audit = await trpcQuery<{ action: string; details: unknown }[]>(r, "audit.list", { limit: 50 });
  expect(JSON.stringify(audit.find((e) => e.action === "security.risk-accepted")?.details ?? null)).toContain("ticket OPS-42");
});

test("re-opening a port is a regression: the alert reaches the webhook and the mail receiver", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  const r = page.request;
  for (const channel of [
    { kind: "webhook", name: "audit-hook", url: webhook.url },
    { kind: "email", name: "audit-mail", host: "127.0.0.1", port: smtp.port, from: "ops@pixelfox.test", to: ["admin@pixelfox.test"] },
  ]) {
    channelIds.push((await trpcMutation<{ id: string }>(r, "alerts.saveChannel", { channel })).id);
  }
  await recreate("plan-cache", "pxlfox-cache", { hostIp: "" });
  await runAuditFromPage(page, STACK);
  const c = await checkOf(r, STACK, "plan-cache", "ports-published:6379");
  expect(c.verdict).toBe("fail");
  const ov = await overview(r, STACK);
  expect(ov.latest!.changes).toContainEqual(
    expect.objectContaining({ host: "plan-cache", checkId: "ports-published:6379", from: "pass", to: "fail" }),
  );
  await expect.poll(() => webhook.texts.join("\n"), { timeout: 30_000 }).toContain("Security audit check regressed");
  await expect.poll(() => smtp.messages.join("\n"), { timeout: 30_000 }).toContain("Security audit check regressed");
  expect(webhook.texts.join("\n")).toContain("plan-cache");
  // The page marks it a regression.
  await page.reload();
  await expect(page.getByRole("list", { name: "Changes since the previous run" })).toContainText("regression");
});
