import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { fleetStatus } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { backUpNow, drill } from "./backup-ui";
import { appDb, rootSql, sha256 } from "./db-fixtures";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const BACKUP_DIR = path.join(process.env.E2E_DATA_DIR ?? "/tmp/pxf-e2e-data", "backups");
// A table of incompressible rows so the dump spans several 64 KiB encryption chunks.
const BULK = "e2e_enc_bulk";

type Backup = {
  id: string;
  status: string;
  verified: boolean;
  encrypted: boolean;
  reason: string;
  sha256: string | null;
  drillStatus: string | null;
};

test.describe.configure({ mode: "serial" });

let admin = "";

async function marker(action: "set" | "read" | "clear", name = "") {
  const conn = await appDb();
  try {
    if (action !== "read") {
      await conn.query("DELETE FROM storage_pools WHERE name LIKE 'e2e-enc-%'");
      if (action === "set") await conn.query("INSERT INTO storage_pools (name, base_path) VALUES (?, '/srv/e2e')", [name]);
      return [];
    }
    const [rows] = await conn.query("SELECT name FROM storage_pools WHERE name LIKE 'e2e-enc-%' ORDER BY name");
    return (rows as { name: string }[]).map((r) => r.name);
  } finally {
    await conn.end();
  }
}

test.beforeAll(async () => {
  panelCli(["fleet", "import"]);
  admin = panelCli(["token", "create", "--name", "e2e-enc-admin", "--role", "admin"]).trim().split("\n").pop() ?? "";
  const dbName = fleetStatus().stack.db.name;
  await rootSql(
    `DROP TABLE IF EXISTS ${dbName}.${BULK}; CREATE TABLE ${dbName}.${BULK} (id INT PRIMARY KEY, a CHAR(64), b CHAR(64)) ENGINE=InnoDB; USE ${dbName}; INSERT INTO ${BULK} SELECT seq, SHA2(RAND(), 256), SHA2(RAND(), 256) FROM seq_1_to_4000;`,
  );
});

test.afterAll(async ({ browser }) => {
  // Other specs expect plain files: encryption goes back off whatever happened.
  const page = await browser.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  await trpcMutation(page.request, "stack.setBackupEncryption", { idOrName: "pixelfox", enabled: false });
  await page.close();
  await rootSql(`DROP TABLE IF EXISTS ${fleetStatus().stack.db.name}.${BULK}`);
  await marker("clear");
});

test("encrypted at rest: ciphertext on disk, plaintext download (sha256, Range), restore and drill through decryption; a flipped byte fails the drill", async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/database/pixelfox");
  const toggle = page.getByLabel("Encrypt new backups at rest");
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await expect(toggle).toBeChecked();
  await page.reload();
  await expect(page.getByLabel("Encrypt new backups at rest")).toBeChecked();

  await marker("set", "e2e-enc-before");
  const id = await backUpNow(page);
  const row = page.getByTestId(`backup-${id}`);
  await expect(row.getByTestId("backup-encrypted")).toHaveText("encrypted");
  const recorded = (await row.getByTestId("backup-sha256").getAttribute("title")) ?? "";
  expect(recorded).toMatch(/^[0-9a-f]{64}$/);

  // On disk: not gzip, no table name in clear.
  const file = path.join(BACKUP_DIR, `${id}.sql.gz`);
  const stored = readFileSync(file);
  expect(stored.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(false);
  expect(stored.subarray(0, 8).toString("latin1")).toBe("PXFENC1\n");
  for (const name of ["storage_pools", BULK, "CREATE TABLE", "INSERT INTO"]) expect(stored.includes(Buffer.from(name))).toBe(false);

  // The download is the plaintext .gz: the recorded sha256, and it gunzips to the dump.
  const url = `/api/backups/${id}/download`;
  const auth = { authorization: `Bearer ${admin}` };
  const full = await request.get(url, { headers: auth });
  expect(full.status()).toBe(200);
  expect(full.headers()["content-type"]).toBe("application/gzip");
  const body = await full.body();
  expect(sha256(body)).toBe(recorded);
  expect(body.length).toBeGreaterThan(3 * 65_536);
  const sql = gunzipSync(body).toString("utf8");
  expect(sql).toContain("CREATE TABLE `storage_pools`");
  expect(sql).toContain("e2e-enc-before");
  expect(sql).toMatch(/-- Dump completed/);
  // Ranges map onto the chunks: across two chunk boundaries, a suffix, and an open end.
  for (const [range, start, end] of [
    ["bytes=65530-131080", 65_530, 131_080],
    [`bytes=-100`, body.length - 100, body.length - 1],
    ["bytes=10-", 10, body.length - 1],
  ] as const) {
    const part = await request.get(url, { headers: { ...auth, range } });
    expect(part.status(), range).toBe(206);
    expect(part.headers()["content-range"]).toBe(`bytes ${start}-${end}/${body.length}`);
    expect(Buffer.compare(await part.body(), body.subarray(start, end + 1)), range).toBe(0);
  }

  // Restore after changing a row: the data comes back.
  await marker("set", "e2e-enc-after");
  await row.getByRole("button", { name: "Restore" }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.getByLabel(/^Type/).fill(fleetStatus().stack.db.name);
  await dialog.getByRole("button", { name: "Restore" }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => marker("read"), { timeout: 60_000 }).toEqual(["e2e-enc-before"]);
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  // The safety backup taken first is encrypted too.
  const safety = (await trpcQuery<Backup[]>(page.request, "backups.list", { stack: "pixelfox" }))[0]!;
  expect(safety).toMatchObject({ reason: "safety", status: "good", encrypted: true });

  await drill(page, id, "passed");

  // One flipped byte in the stored file: authentication fails, the drill fails and says why.
  const bytes = readFileSync(file);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(file, bytes);
  const tampered = await drill(page, id, "failed");
  await expect(tampered.getByTestId("backup-drill-error")).toContainText(
    /the backup file was modified or is corrupt: authentication failed at chunk \d+/,
  );
  await expect(tampered).toContainText("not verified");
  const list = await trpcQuery<Backup[]>(page.request, "backups.list", { stack: "pixelfox" });
  expect(list.find((b) => b.id === id)).toMatchObject({ verified: false, drillStatus: "failed", encrypted: true });

  // Off again: the next backup is a plain gzip file.
  await page.getByLabel("Encrypt new backups at rest").uncheck();
  await expect(page.getByLabel("Encrypt new backups at rest")).not.toBeChecked();
  const plainId = await backUpNow(page);
  await expect(page.getByTestId(`backup-${plainId}`).getByTestId("backup-encrypted")).toHaveCount(0);
  expect(
    readFileSync(path.join(BACKUP_DIR, `${plainId}.sql.gz`))
      .subarray(0, 2)
      .equals(Buffer.from([0x1f, 0x8b])),
  ).toBe(true);
});
