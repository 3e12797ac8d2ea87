import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { fleetHost } from "../support/fleet";
import { E2E_DATA_DIR, panelCli, signIn } from "../support/panel";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const DB = "pxlfox-db";
const SLOW_FILE = "/var/lib/mysql/pxf-slow.log";

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
});

/** Every row of the virtual list once, in order (scrolls top to bottom). */
async function collectRows(page: Page): Promise<{ seq: number; stream: string; text: string }[]> {
  return page.evaluate(async () => {
    const el = document.querySelector<HTMLElement>('[data-testid="log-scroll"]');
    if (!el) throw new Error("no log view");
    const rows = new Map<number, { seq: number; stream: string; text: string }>();
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    el.scrollTop = 0;
    await frame();
    for (let guard = 0; guard < 500; guard++) {
      for (const row of el.querySelectorAll<HTMLElement>('[data-testid="log-line"]')) {
        const seq = Number(row.dataset.seq);
        rows.set(seq, { seq, stream: row.dataset.stream ?? "", text: row.textContent ?? "" });
      }
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) break;
      el.scrollTop += el.clientHeight / 2;
      await frame();
    }
    return [...rows.values()].sort((a, b) => a.seq - b.seq);
  });
}

const viewerTexts = (page: Page) => page.evaluate(() => window.__pxfLogTest?.texts() ?? []);

/** SQL run as root inside the db container; the password stays in the container's env (MYSQL_PWD), never in argv. */
function dbSql(sql: string): string {
  const socket = fleetHost("db").dockerSocket;
  return execFileSync(
    "docker",
    [
      "-H",
      `unix://${socket}`,
      "exec",
      DB,
      "sh",
      "-c",
      'MYSQL_PWD="$MYSQL_ROOT_PASSWORD" exec mariadb --user=root -N -B -e "$1"',
      "pxf-e2e",
      sql,
    ],
    { encoding: "utf8" },
  );
}

/** Processes in the db container whose command line is a tail of the slow log (host-side check). */
function countSlowLogTails(): number {
  const socket = fleetHost("db").dockerSocket;
  const out = execFileSync(
    "docker",
    ["-H", `unix://${socket}`, "exec", DB, "sh", "-c", 'for p in /proc/[0-9]*; do tr "\\0" " " < "$p/cmdline" 2>/dev/null; echo; done'],
    { encoding: "utf8" },
  );
  return out.split("\n").filter((l) => l.startsWith("tail ") && l.includes(SLOW_FILE)).length;
}

test("a finished job's log shows every line in order, warnings as stderr, and the filter narrows it", async ({ page }) => {
  const jobId =
    execFileSync(process.execPath, ["--import", "tsx", "e2e/3-logs/seed-job.ts", "120"], {
      encoding: "utf8",
      env: { ...process.env, PANEL_DATA_DIR: E2E_DATA_DIR },
    })
      .trim()
      .split("\n")
      .at(-1) ?? "";
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto(`/jobs/${jobId}`);
  await page.getByRole("link", { name: "Open in log viewer" }).click();
  await expect(page).toHaveURL(new RegExp(`/logs\\?job=${jobId}$`));
  await expect(page.getByTestId("log-count")).toHaveText("120 lines");
  await expect(page.getByLabel("Source")).toHaveValue("job");
  const expected = Array.from({ length: 120 }, (_, k) => {
    const i = k + 1;
    return {
      seq: i,
      stream: i % 10 === 0 ? "stderr" : "stdout",
      text: `job line ${String(i).padStart(4, "0")}${i % 10 === 0 ? " slow step warning" : ""}`,
    };
  });
  expect(await collectRows(page)).toEqual(expected);

  await page.getByLabel("Filter").fill("WARNING");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("log-count")).toHaveText("12 lines");
  expect((await collectRows(page)).map((r) => r.seq)).toEqual(expected.filter((l) => l.stream === "stderr").map((l) => l.seq));
  await expect(page.locator("mark").first()).toHaveText(/warning/i);
  await expect(page.getByRole("link", { name: "Download", exact: true })).toHaveAttribute("href", `/api/jobs/${jobId}/log`);
  expect((await page.request.get(`/api/logs/stream?job=nope-${jobId}`)).status()).toBe(404);
});

test("the proxy preset opens from the stack's services and shows a request just made, readably", async ({ page, request }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/stacks/pixelfox");
  await page.getByRole("link", { name: "Logs of the proxy service" }).click();
  await expect(page).toHaveURL(/\/logs\?.*source=proxy/);
  const url = new URL(page.url());
  expect([url.searchParams.get("host"), url.searchParams.get("container"), url.searchParams.get("follow")]).toEqual([
    "app",
    "pxlfox-proxy",
    "1",
  ]);
  await expect(page.getByText("live", { exact: true })).toBeVisible();
  await expect.poll(async () => (await viewerTexts(page)).length).toBeGreaterThan(0);

  const path = `/pxf-e2e-${randomBytes(6).toString("hex")}`;
  const res = await request.get(`http://10.213.77.11${path}`);
  const status = res.status();
  await expect
    .poll(async () => (await viewerTexts(page)).find((t) => t.includes(path)) ?? "", { timeout: 15_000 })
    .toMatch(new RegExp(`^GET ${path} ${status} [\\d.]+ (ms|s) \\(host 10\\.213\\.77\\.11`));
  const row = page.locator('[data-testid="log-line"]', { hasText: path });
  await expect(row).toHaveAttribute("data-stream", status >= 500 ? "stderr" : "stdout");
});

test("the MySQL slow log: a clear message while it is off, then a slow query appears live", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const [wasOn = "0", oldFile = "", oldTime = "10"] = dbSql("SELECT @@slow_query_log, @@slow_query_log_file, @@long_query_time")
    .trim()
    .split("\t");
  test.skip(wasOn === "1", "the slow log is already on: leave the operator's setting alone");
  const off = await page.request.get(`/api/logs/stream?source=mysql-slow&host=db&container=${DB}`);
  expect(off.status()).toBe(412);
  expect((await off.json()).error.message).toMatch(/^The slow query log is off on db: enable it with SET GLOBAL slow_query_log=1/);

  const marker = `pxf-e2e-${randomBytes(6).toString("hex")}`;
  try {
    dbSql(`SET GLOBAL slow_query_log=1, long_query_time=0, slow_query_log_file='${SLOW_FILE}'`);
    await page.goto(`/logs?source=mysql-slow&host=db&container=${DB}&tail=50`);
    await expect(page.getByText("live", { exact: true })).toBeVisible();
    await expect.poll(countSlowLogTails).toBe(1);
    dbSql(`SELECT SLEEP(0.2), '${marker}'`);
    await expect
      .poll(async () => (await viewerTexts(page)).find((t) => t.includes(marker)) ?? "", { timeout: 15_000 })
      .toContain(`SELECT SLEEP(0.2), '${marker}'`);
    await page.goto("/");
    await expect.poll(countSlowLogTails, { timeout: 10_000 }).toBe(0);
  } finally {
    dbSql(
      `SET GLOBAL slow_query_log=0, long_query_time=${Number(oldTime)}${/^[\w./-]+$/.test(oldFile) ? `, slow_query_log_file='${oldFile}'` : ""}`,
    );
  }
  expect(dbSql("SELECT @@slow_query_log").trim()).toBe("0");
});
