import { expect, test, type Page } from "@playwright/test";
import { deployViaApi, waitForJob } from "../support/api";
import { fleetStatus, onHost } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";
import { servedVersion } from "../support/traffic";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const ENV_FILE = "/srv/pixelfox/.env";
// Two values of real randomness (as `openssl rand -hex 32` makes): they pass every rule but "distinct".
const RANDOM = "9f3c2a7e5b1d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d0f1a3c5e7b9d2f4a";

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
});
// The fleet outlives the run: the hand edits this spec makes are taken out again, even when it fails half-way.
test.afterAll(() => {
  onHost("app", ["sh", "-c", 'if [ -f "$1" ]; then sed -i "/^HAND_EDIT=/d" "$1"; fi', "sh", ENV_FILE]);
});

/** The env card with the stack's env managed (imported from the running app when it is not yet). */
async function managedEnvCard(page: Page) {
  await page.goto("/stacks/pixelfox");
  const card = page.getByTestId("app-env");
  await expect(card.getByText(/^(version \d+|not managed)$/).first()).toBeVisible();
  if (await card.getByText("not managed", { exact: true }).isVisible()) {
    await card.getByRole("button", { name: "Import from the running app" }).click();
    await expect(card.getByTestId("env-version-1")).toBeVisible();
  }
  return card;
}

/** The newest version's number, as the card's title shows it. */
async function newestVersion(page: Page): Promise<number> {
  const title = await page
    .getByTestId("app-env")
    .getByText(/^version \d+$/)
    .first()
    .textContent();
  return Number(title?.replace("version ", ""));
}

/** Saves version `before` again from the stack page, as the newest version (`before` + 2: one version was added since). */
async function restoreVersion(page: Page, before: number) {
  await page.goto("/stacks/pixelfox");
  await page.getByTestId(`env-version-${before}`).getByRole("button", { name: "Use this version" }).click();
  await page
    .getByRole("alertdialog")
    .getByRole("button", { name: `Use version ${before}` })
    .click();
  await expect(page.getByTestId(`env-version-${before + 2}`)).toContainText(`restored from version ${before}`);
}

/** Opens the editor and saves the env with `extra` lines added (keys it sets again are replaced). */
async function saveWith(page: Page, extra: Record<string, string>) {
  const card = page.getByTestId("app-env");
  await card.getByRole("button", { name: "Edit", exact: true }).click();
  const text = card.getByLabel("Environment (.env)");
  await expect(text).toHaveValue(/DB_PASSWORD=/);
  const kept = (await text.inputValue()).split("\n").filter((line) => !Object.keys(extra).some((k) => line.startsWith(`${k}=`)));
  await text.fill([...kept.filter(Boolean), ...Object.entries(extra).map(([k, v]) => `${k}=${v}`), ""].join("\n"));
  await card.getByTestId("env-editor").getByRole("button", { name: "Save as a new version" }).click();
}

test("the plan's secret rules refuse a placeholder, a short and two equal secrets, naming the key; an admin's override needs a reason and is audited", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  const card = await managedEnvCard(page);
  const before = await newestVersion(page);
  const violations = card.getByTestId("env-violations");

  await saveWith(page, { UPLOAD_TOKEN_SECRET: "change_this_secret" });
  const placeholder = violations.getByTestId("env-violation-secret-placeholder-UPLOAD_TOKEN_SECRET");
  await expect(placeholder).toContainText("UPLOAD_TOKEN_SECRET is a placeholder from the plan's template");
  await expect(violations).not.toContainText("change_this_secret");

  const text = card.getByLabel("Environment (.env)");
  const withoutSecrets = (await text.inputValue())
    .split("\n")
    .filter((l) => !/^(UPLOAD_TOKEN_SECRET|REPLICATION_SECRET)=/.test(l))
    .join("\n");
  await text.fill(`${withoutSecrets}\nUPLOAD_TOKEN_SECRET=Zx81kq\n`);
  await card.getByTestId("env-editor").getByRole("button", { name: "Save as a new version" }).click();
  await expect(violations.getByTestId("env-violation-secret-min-length-UPLOAD_TOKEN_SECRET")).toContainText(
    "UPLOAD_TOKEN_SECRET has 6 characters, fewer than 32",
  );

  await text.fill(`${withoutSecrets}\nUPLOAD_TOKEN_SECRET=${RANDOM}\nREPLICATION_SECRET=${RANDOM}\n`);
  await card.getByTestId("env-editor").getByRole("button", { name: "Save as a new version" }).click();
  await expect(violations.getByTestId("env-violation-secrets-distinct-REPLICATION_SECRET")).toContainText(
    "REPLICATION_SECRET has the same value as UPLOAD_TOKEN_SECRET",
  );
  await expect(violations).not.toContainText(RANDOM);
  // Nothing of the three was saved.
  await card.getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  expect(await newestVersion(page)).toBe(before);

  // The override: a reason too short is refused, a real one saves and is recorded as an accepted risk.
  await saveWith(page, { UPLOAD_TOKEN_SECRET: "change_this_secret" });
  await placeholder.getByRole("button", { name: "Accept this risk" }).click();
  await placeholder.getByLabel("Why may UPLOAD_TOKEN_SECRET break secret-placeholder?").fill("because");
  await placeholder.getByRole("button", { name: "Accept the risk and save" }).click();
  await expect(placeholder).toContainText("Say why, in at least 10 characters");
  const reason = "sandbox stack, direct uploads are not used";
  await placeholder.getByLabel("Why may UPLOAD_TOKEN_SECRET break secret-placeholder?").fill(reason);
  await placeholder.getByRole("button", { name: "Accept the risk and save" }).click();
  await expect(card.getByTestId(`env-version-${before + 1}`)).toBeVisible();

  await page.goto("/stacks/pixelfox/security");
  const risks = page.getByRole("table", { name: "Accepted risks" });
  const risk = risks.getByRole("row").filter({ hasText: "secret-placeholder" }).filter({ hasText: "UPLOAD_TOKEN_SECRET" });
  await expect(risk).toContainText(reason);
  await page.goto("/audit");
  await expect(page.getByRole("row").filter({ hasText: "security.risk-accepted" }).first()).toContainText("UPLOAD_TOKEN_SECRET");
  await expect(page.getByRole("row").filter({ hasText: "env.save" }).first()).toBeVisible();

  // Leave the stack as it was: the risk revoked, the version before saved again.
  await page.goto("/stacks/pixelfox/security");
  await risk.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
  await expect(risk).toHaveCount(0);
  await restoreVersion(page, before);
});

test("a hand edit of the host's .env is shown and left as it is by a deploy; the operator overwrites it or keeps it, audited", async ({
  page,
  request,
}) => {
  test.setTimeout(150_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await managedEnvCard(page);
  onHost("app", ["sh", "-c", `mkdir -p /srv/pixelfox && echo HAND_EDIT=1 >> ${ENV_FILE}`]);

  const token = panelCli(["token", "create", "--name", "host-file-test", "--role", "deployer"]).trim().split("\n").pop() ?? "";
  const served = await servedVersion(`${fleetStatus().stack.publicDomain}/api/v1/ping`);
  const deploy = await deployViaApi(request, token, served === "v1.1.0" ? "v1.0.0" : "v1.1.0");
  expect(deploy.status).toBe(202);
  const job = await waitForJob(request, token, deploy.body.jobId);
  expect(job.status).toBe("succeeded");
  expect(job.steps.find((s) => s.key === "env-file")?.detail).toContain("Edited by hand, left as it is on app");
  const log = await (
    await request.get(`/api/v1/jobs/${deploy.body.jobId}/logs?follow=0`, { headers: { authorization: `Bearer ${token}` } })
  ).text();
  expect(log).toContain(`left ${ENV_FILE} on app as it is`);
  expect(log).toContain("HAND_EDIT added");
  expect(onHost("app", ["cat", ENV_FILE])).toContain("HAND_EDIT=1");

  // The card shows the edit key by key; overwriting undoes it (the edited file kept as .env.prev).
  await page.goto("/stacks/pixelfox");
  const file = page.getByTestId("host-env-file-app");
  await expect(file).toContainText("edited on the host");
  await expect(file.getByTestId("host-env-changes")).toContainText("+ HAND_EDIT 1");
  await file.getByRole("button", { name: /Overwrite with version \d+/ }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Overwrite the file" }).click();
  await expect(file).toContainText("up to date");
  expect(onHost("app", ["cat", ENV_FILE])).not.toContain("HAND_EDIT");
  expect(onHost("app", ["cat", `${ENV_FILE}.prev`])).toContain("HAND_EDIT=1");

  // Edited again and kept: the file becomes the newest version (through the same rules as a save).
  const before = await newestVersion(page);
  onHost("app", ["sh", "-c", `echo HAND_EDIT=2 >> ${ENV_FILE}`]);
  await page.getByTestId("host-env-files").getByRole("button", { name: "Read again" }).click();
  await expect(file.getByTestId("host-env-changes")).toContainText("+ HAND_EDIT 2");
  await file.getByRole("button", { name: "Keep the host's edits" }).click();
  await expect(page.getByTestId(`env-version-${before + 1}`)).toContainText("kept the edits made on app (HAND_EDIT added)");
  await expect(file).toContainText("up to date");

  await page.goto("/audit");
  await expect(page.getByRole("row").filter({ hasText: "env.host-file.write" }).first()).toContainText("added HAND_EDIT");

  // Leave the stack as it was: the version before saved again (the next deploy writes it to the host).
  await restoreVersion(page, before);
  await expect(page.getByTestId("host-env-file-app")).toContainText("older version");
});
