import { expect, test } from "@playwright/test";
import { panelCli, signIn } from "../support/panel";
import { appDb, sha256 } from "./db-fixtures";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };

test.describe.configure({ mode: "serial" });

let admin = "";
let viewer = "";

async function marker(names: string[], action: "reset" | "read") {
  const conn = await appDb();
  try {
    if (action === "reset") {
      await conn.query("DELETE FROM storage_pools WHERE name LIKE 'e2e-%'");
      for (const n of names) await conn.query("INSERT INTO storage_pools (name, base_path) VALUES (?, '/srv/e2e')", [n]);
      return [];
    }
    const [rows] = await conn.query("SELECT name FROM storage_pools WHERE name LIKE 'e2e-%' ORDER BY name");
    return (rows as { name: string }[]).map((r) => r.name);
  } finally {
    await conn.end();
  }
}

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
  const last = (out: string) => out.trim().split("\n").pop() ?? "";
  admin = last(panelCli(["token", "create", "--name", "e2e-db-admin", "--role", "admin"]));
  viewer = last(panelCli(["token", "create", "--name", "e2e-db-viewer", "--role", "viewer"]));
});

test("back up, download with the recorded sha256 (and a Range), change data, restore, see the data back", async ({ page, request }) => {
  await marker(["e2e-before-backup"], "reset");
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/database/pixelfox");
  const rowsBefore = await page.locator('[data-testid^="backup-c"]').count();
  await page.getByRole("button", { name: "Back up now" }).click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(page.locator('[data-testid^="backup-c"]')).toHaveCount(rowsBefore + 1);
  const row = page.locator('[data-testid^="backup-c"]').first();
  await expect(row).toContainText("good");
  await expect(row).toContainText("verified");
  const id = ((await row.getAttribute("data-testid")) ?? "").replace("backup-", "");
  const recorded = (await row.getByTestId("backup-sha256").getAttribute("title")) ?? "";
  expect(recorded).toMatch(/^[0-9a-f]{64}$/);

  const url = `/api/backups/${id}/download`;
  const full = await request.get(url, { headers: { authorization: `Bearer ${admin}` } });
  expect(full.status()).toBe(200);
  expect(full.headers()["content-disposition"]).toContain(".sql.gz");
  const body = await full.body();
  expect(sha256(body)).toBe(recorded);
  const part = await request.get(url, { headers: { authorization: `Bearer ${admin}`, range: "bytes=10-" } });
  expect(part.status()).toBe(206);
  expect(part.headers()["content-range"]).toBe(`bytes 10-${body.length - 1}/${body.length}`);
  expect(Buffer.compare(await part.body(), body.subarray(10))).toBe(0);
  // Role-checked, and ids are never paths.
  expect((await request.get(url, { headers: { authorization: `Bearer ${viewer}` } })).status()).toBe(403);
  expect((await request.get(url)).status()).toBe(401);
  for (const bad of ["..%2F..%2Fpanel.db", "..", "x"]) {
    expect((await request.get(`/api/backups/${bad}/download`, { headers: { authorization: `Bearer ${admin}` } })).status()).toBe(404);
  }

  await marker(["e2e-after-backup"], "reset");
  expect(await marker([], "read")).toEqual(["e2e-after-backup"]);

  await row.getByRole("button", { name: "Restore" }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.getByLabel(/^Type/).fill("pixelfox_db");
  await dialog.getByRole("button", { name: "Restore" }).click();
  await expect(dialog).toBeHidden();
  // The job view switches to the restore job; the data itself says when the restore is done.
  await expect.poll(() => marker([], "read"), { timeout: 60_000 }).toEqual(["e2e-before-backup"]);
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  // The safety backup taken before the restore is listed as good.
  await expect(page.locator('[data-testid^="backup-c"]').first()).toContainText("safety");
  await expect(page.locator('[data-testid^="backup-c"]').first()).toContainText("good");
});
