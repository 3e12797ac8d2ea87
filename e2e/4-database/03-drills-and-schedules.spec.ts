import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { backUpNow, drill } from "./backup-ui";
import { appDb } from "./db-fixtures";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const BACKUP_DIR = path.join(process.env.E2E_DATA_DIR ?? "/tmp/pxf-e2e-data", "backups");

type Backup = { id: string; status: string; verified: boolean; reason: string; drillStatus: string | null };
type Schedule = { id: string; nextRuns: string[]; lastRunAt: string | null };

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
});

test("a restore drill passes on a good backup and fails on a tampered one", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/database/pixelfox");
  const id = await backUpNow(page);
  await drill(page, id, "passed");
  await expect(page.getByTestId("last-passing-drill")).toHaveAttribute("data-stale", "false");
  await expect(page.getByTestId("last-good-backup")).toHaveAttribute("data-stale", "false");

  // Flip bytes in the middle of the stored file: the sha256 no longer matches, the drill must fail.
  const tamperedId = await backUpNow(page);
  const file = path.join(BACKUP_DIR, `${tamperedId}.sql.gz`);
  const bytes = readFileSync(file);
  for (let i = Math.floor(bytes.length / 2); i < Math.min(bytes.length - 8, Math.floor(bytes.length / 2) + 16); i++)
    bytes[i] = bytes[i]! ^ 0xff;
  writeFileSync(file, bytes);
  const tampered = await drill(page, tamperedId, "failed");
  await expect(tampered.getByTestId("backup-drill-error")).toContainText("sha256");
  await expect(tampered).toContainText("not verified");
  // A tampered file can no longer be restored: only verified backups are offered as good.
  const list = await trpcQuery<Backup[]>(page.request, "backups.list", { stack: "pixelfox" });
  expect(list.find((b) => b.id === tamperedId)).toMatchObject({ verified: false, drillStatus: "failed" });
  expect(list.find((b) => b.id === id)).toMatchObject({ verified: true, drillStatus: "passed" });
});

test("a backup taken while rows are being updated passes its drill: what is compared comes from the dump's own snapshot", async ({
  page,
}) => {
  const conn = await appDb();
  const email = `drill-busy-${Date.now()}@pixelfox.test`;
  const [inserted] = await conn.query<import("mysql2").ResultSetHeader>(
    "INSERT INTO users (name, email, password_hash) VALUES ('busy', ?, 'x')",
    [email],
  );
  // Row counts stay the same while values change: only a digest of the rows themselves tells them apart.
  let writing = true;
  let updates = 0;
  const writer = (async () => {
    while (writing) {
      await conn.query("UPDATE users SET name = ? WHERE id = ?", [`busy-${++updates}`, inserted.insertId]);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  try {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/database/pixelfox");
    const id = await backUpNow(page);
    writing = false;
    await writer;
    expect(updates).toBeGreaterThan(10);
    await drill(page, id, "passed");
    await expect(page.getByRole("log", { name: "Job log" })).toContainText(/tables compared \(row counts and row digests\): all match/);
  } finally {
    writing = false;
    await writer.catch(() => undefined);
    await conn.query("DELETE FROM users WHERE email = ?", [email]);
    await conn.end();
  }
});

test("an invalid cron is refused naming the field and the rule", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const res = await page.request.post("/api/trpc/schedules.create", {
    data: { json: { stack: "pixelfox", kind: "backup", cron: "61 * * * *", enabled: true, keepLast: 2, keepDaily: 0, keepWeekly: 0 } },
  });
  expect(res.status()).toBe(400);
  const message = String((await res.json()).error.json.message);
  expect(message).toContain("cron:");
  expect(message).toMatch(/minute: 61/);
  expect(message).toContain("5 fields");
});

test("a fast schedule produces backups and retention keeps the last 2, plus the one whose drill passed", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/database/pixelfox");
  await page.getByRole("button", { name: "Add schedule" }).click();
  const form = page.getByTestId("schedule-form");
  await form.getByLabel("Cron (UTC)").fill("61 * * * *");
  await form.getByRole("button", { name: "Save schedule" }).click();
  await expect(form.getByRole("alert")).toContainText("minute");
  await form.getByLabel("Cron (UTC)").fill("*/5 * * * * *");
  await form.getByLabel("Keep last").fill("2");
  await form.getByLabel("Daily").fill("0");
  await form.getByLabel("Weekly").fill("0");
  await form.getByRole("button", { name: "Save schedule" }).click();
  await expect(form).toBeHidden();
  const schedules = await trpcQuery<Schedule[]>(page.request, "schedules.list", { stack: "pixelfox" });
  expect(schedules).toHaveLength(1);
  const schedule = schedules[0]!;
  expect(schedule.nextRuns).toHaveLength(3);
  await expect(page.getByTestId(`schedule-${schedule.id}`).getByTestId("schedule-next-runs")).toContainText(
    /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/,
  );
  try {
    await expect
      .poll(
        async () => {
          const list = await trpcQuery<Backup[]>(page.request, "backups.list", { stack: "pixelfox" });
          const good = list.filter((b) => b.status === "good" && b.verified);
          // The newest backup with a passing drill (the first test's) is the proven one: retention keeps it.
          return {
            scheduled: good.filter((b) => b.reason === "schedule").length,
            others: good.filter((b) => b.reason !== "schedule").map((b) => b.drillStatus),
          };
        },
        { timeout: 25_000, intervals: [1000] },
      )
      .toEqual({ scheduled: 2, others: ["passed"] });
    await expect(page.getByTestId(`schedule-${schedule.id}`)).toContainText("started");
    await expect(page.getByTestId("last-good-backup")).toHaveAttribute("data-stale", "false");
    await expect(page.getByTestId("last-good-backup")).toContainText("late after 10 s");
  } finally {
    await trpcMutation(page.request, "schedules.update", {
      id: schedule.id,
      kind: "backup",
      cron: "*/5 * * * * *",
      enabled: false,
      keepLast: 2,
      keepDaily: 0,
      keepWeekly: 0,
    });
  }
  await trpcMutation(page.request, "schedules.delete", { id: schedule.id });
});
