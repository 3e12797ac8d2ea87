import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { fleetStatus } from "../support/fleet";
import { E2E_DATA_DIR, panelCli, signIn } from "../support/panel";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const PREFIX = `e2e-${randomBytes(4).toString("hex")}/`;
// The SDK's "Node 22 needed by later releases" notice (the pinned release supports Node 20).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

test.describe.configure({ mode: "serial" });

let s3: ReturnType<typeof fleetStatus>["s3"];
let client: S3Client;

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
  s3 = fleetStatus().s3;
  if (!s3.running) throw new Error("The fleet's S3 server is not running: `npm run fleet -- up` starts it");
  client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
});

test.afterAll(async () => {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: PREFIX }));
  for (const o of listed.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: o.Key }));
  client.destroy();
});

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function objectBytes(key: string): Promise<Buffer> {
  const res = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  const chunks: Buffer[] = [];
  for await (const c of res.Body as Readable) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function card(page: Page): Locator {
  return page.getByTestId("offsite-card");
}

async function saveSettings(
  page: Page,
  values: Partial<Record<"Endpoint URL" | "Region" | "Bucket" | "Key prefix" | "Access key id" | "Secret key", string>>,
) {
  for (const [label, value] of Object.entries(values)) await card(page).getByLabel(label, { exact: true }).fill(value);
  await card(page).getByRole("button", { name: "Save off-site settings" }).click();
}

async function backUpNow(page: Page, expected: "succeeded" | "failed"): Promise<Locator> {
  const before = await page.locator('[data-testid^="backup-c"]').count();
  await page.getByRole("button", { name: "Back up now" }).click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", expected, { timeout: 90_000 });
  await expect(page.locator('[data-testid^="backup-c"]')).toHaveCount(before + 1);
  return page.locator('[data-testid^="backup-c"]').first();
}

test("configure off-site storage, test it, and every backup lands verified in the bucket", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/database/pixelfox");
  await expect(card(page)).toContainText("not configured");

  // The panel itself is refused as an endpoint, naming the field.
  const self = new URL(page.url()).origin;
  await saveSettings(page, {
    "Endpoint URL": self,
    Region: s3.region,
    Bucket: s3.bucket,
    "Key prefix": PREFIX,
    "Access key id": s3.accessKeyId,
    "Secret key": s3.secretAccessKey,
  });
  await expect(card(page).getByRole("alert").filter({ hasText: "points at this panel itself" })).toBeVisible();

  await saveSettings(page, { "Endpoint URL": s3.endpoint });
  await expect(card(page)).toContainText("enabled");
  // Write-only secret: the field is empty again and says it is set; the page never carries it.
  await expect(card(page).getByLabel("Secret key", { exact: true })).toHaveValue("");
  await expect(card(page)).toContainText("set; leave empty to keep it");
  expect(await page.content()).not.toContain(s3.secretAccessKey);

  await card(page).getByRole("button", { name: "Test" }).click();
  await expect(page.getByTestId("offsite-test-result")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("offsite-test-result")).toContainText("write ok");
  await expect(page.getByTestId("offsite-test-result")).toContainText("delete ok");

  const row = await backUpNow(page, "succeeded");
  await expect(row).toContainText("good");
  await expect(row.getByTestId("backup-offsite")).toHaveAttribute("data-status", "uploaded");
  const id = ((await row.getAttribute("data-testid")) ?? "").replace("backup-", "");
  const key = `${PREFIX}${id}.sql.gz`;
  await expect(row.getByTestId("backup-offsite").locator("[title]").first()).toHaveAttribute("title", key);

  // The object holds exactly the stored file's bytes (as stored: an encrypted file stays encrypted).
  const stored = readFileSync(path.join(E2E_DATA_DIR, "backups", `${id}.sql.gz`));
  const remote = await objectBytes(key);
  expect(remote.length).toBe(stored.length);
  expect(sha256(remote)).toBe(sha256(stored));
  const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
  expect(head.Metadata?.sha256).toBe(sha256(stored));
  await expect(page.getByTestId("offsite-health")).toHaveAttribute("data-state", "ok");
});

async function restore(page: Page, row: Locator, expected: "succeeded" | "failed") {
  await row.getByRole("button", { name: "Restore" }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.getByLabel(/^Type/).fill("pixelfox_db");
  await dialog.getByRole("button", { name: "Restore" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", expected, { timeout: 90_000 });
}

test("a restore copies its safety backup off-site before it overwrites anything", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/database/pixelfox");
  // The list has loaded (the first test's backups) before backUpNow counts its rows.
  await expect(page.locator('[data-testid^="backup-c"]').first()).toBeVisible();
  const good = await backUpNow(page, "succeeded");
  await restore(page, good, "succeeded");
  const safety = page.locator('[data-testid^="backup-c"]').first();
  await expect(safety).toContainText("safety");
  await expect(safety.getByTestId("backup-offsite")).toHaveAttribute("data-status", "uploaded");
  const id = ((await safety.getAttribute("data-testid")) ?? "").replace("backup-", "");
  const stored = readFileSync(path.join(E2E_DATA_DIR, "backups", `${id}.sql.gz`));
  expect(sha256(await objectBytes(`${PREFIX}${id}.sql.gz`))).toBe(sha256(stored));
});

test("a wrong secret: the backup stays good locally, off-site fails with the reason, health is not green; fix and retry", async ({
  page,
}) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/database/pixelfox");
  const wrong = `wrong-${randomBytes(8).toString("hex")}`;
  await saveSettings(page, { "Secret key": wrong });
  await expect(card(page).getByLabel("Secret key", { exact: true })).toHaveValue("");

  await card(page).getByRole("button", { name: "Test" }).click();
  await expect(page.getByTestId("offsite-test-result")).toHaveAttribute("data-ok", "false");
  await expect(page.getByTestId("offsite-test-error")).toContainText("refused the credentials (SignatureDoesNotMatch");
  await expect(page.getByTestId("offsite-test-error")).toContainText(s3.endpoint);
  await expect(page.getByTestId("offsite-test-error")).toContainText(`bucket ${s3.bucket}`);

  const row = await backUpNow(page, "failed");
  await expect(page.locator("[data-job-id]").first()).toContainText("is good and kept locally, but its off-site copy failed");
  // A restore now stops before touching the database: its safety backup could not be put off-site.
  await restore(page, row, "failed");
  await expect(page.locator("[data-job-id]").first()).toContainText("Nothing was restored: the live database is unchanged.");
  await expect(page.locator("[data-job-id]").first()).toContainText("SignatureDoesNotMatch");
  await expect(row).toContainText("good");
  await expect(row).toContainText("verified");
  await expect(row.getByTestId("backup-offsite")).toHaveAttribute("data-status", "failed");
  const reason = row.getByTestId("backup-offsite-error");
  await expect(reason).toContainText("SignatureDoesNotMatch");
  await expect(reason).toContainText(s3.endpoint);
  await expect(reason).toContainText("check the access key id and the secret key");
  expect(await page.content()).not.toContain(wrong);
  await expect(page.getByTestId("offsite-health")).toHaveAttribute("data-state", "failed");
  await expect(page.getByTestId("offsite-health")).toContainText("failed");
  // The dashboard says it too.
  await page.goto("/");
  await expect(page.getByTestId("offsite-health").first()).toHaveAttribute("data-state", "failed");
  await expect(page.getByTestId("offsite-health").first()).toContainText("FAILED");

  await page.goto("/database/pixelfox");
  await saveSettings(page, { "Secret key": s3.secretAccessKey });
  await expect(card(page).getByLabel("Secret key", { exact: true })).toHaveValue("");
  const failedRow = page.locator('[data-testid^="backup-c"]').first();
  await failedRow.getByRole("button", { name: "Retry off-site copy" }).click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(failedRow.getByTestId("backup-offsite")).toHaveAttribute("data-status", "uploaded");
  await expect(page.getByTestId("offsite-health")).toHaveAttribute("data-state", "ok");
  const id = ((await failedRow.getAttribute("data-testid")) ?? "").replace("backup-", "");
  const stored = readFileSync(path.join(E2E_DATA_DIR, "backups", `${id}.sql.gz`));
  expect(sha256(await objectBytes(`${PREFIX}${id}.sql.gz`))).toBe(sha256(stored));

  // Leave the stack as the other specs expect it: off-site copies disabled.
  await card(page).getByLabel("Copy new backups off-site").uncheck();
  await card(page).getByRole("button", { name: "Save off-site settings" }).click();
  await expect(card(page)).toContainText("disabled");
  await expect(page.getByTestId("offsite-health")).toHaveAttribute("data-state", "off");
});
