import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { expect, type Page, test } from "@playwright/test";
import { fleetHost } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";
import {
  countDaemonLogRequests,
  LIVE_SCRIPT,
  readDockerLines,
  readDockerLog,
  removeLogContainer,
  SEQUENCE_SCRIPT,
  startLogContainer,
} from "./log-fixtures";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const SEQ = "pxf-logtest-seq";
const LIVE = "pxf-logtest-live";
let socket = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  panelCli(["fleet", "import"]);
  socket = fleetHost("cache").dockerSocket;
  await startLogContainer(socket, SEQ, SEQUENCE_SCRIPT);
  await startLogContainer(socket, LIVE, LIVE_SCRIPT);
  await expect.poll(async () => (await readDockerLines(socket, SEQ)).length, { timeout: 15_000 }).toBe(400);
});

test.afterAll(async () => {
  await removeLogContainer(socket, SEQ);
  await removeLogContainer(socket, LIVE);
});

/** Scrolls the virtual list from top to bottom and returns every row once, in order. */
async function collectRows(page: Page): Promise<{ seq: number; stream: string; text: string; color: string; ansi: string }[]> {
  return page.evaluate(async () => {
    const el = document.querySelector<HTMLElement>('[data-testid="log-scroll"]');
    if (!el) throw new Error("no log view");
    const rows = new Map<number, { seq: number; stream: string; text: string; color: string; ansi: string }>();
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    el.scrollTop = 0;
    await frame();
    for (let guard = 0; guard < 1000; guard++) {
      for (const row of el.querySelectorAll<HTMLElement>('[data-testid="log-line"]')) {
        const seq = Number(row.dataset.seq);
        const coloured = [...row.querySelectorAll<HTMLElement>("span[style]")].at(-1);
        rows.set(seq, {
          seq,
          stream: row.dataset.stream ?? "",
          text: row.textContent ?? "",
          color: getComputedStyle(row).color,
          ansi: coloured ? getComputedStyle(coloured).color : "",
        });
      }
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) break;
      el.scrollTop += el.clientHeight / 2;
      await frame();
    }
    return [...rows.values()].sort((a, b) => a.seq - b.seq);
  });
}

/** Red dominates: rgb(r > g, b) or, as Tailwind v4 computes it, lab() with a strongly positive a*. */
function isReddish(colour: string): boolean {
  const lab = /^lab\([\d.]+ ([-\d.]+)/.exec(colour);
  if (lab) return Number(lab[1]) > 30;
  const [r = 0, g = 0, b = 0] = (colour.match(/\d+/g) ?? []).map(Number);
  return r > 150 && r > g * 1.5 && r > b * 1.5;
}

const strip = (t: string) => t.replace(/\x1b\[[0-9;]*m/g, "");

test("401 without a session on the stream and the download; 400s name the field", async ({ request, page }) => {
  expect((await request.get(`/api/logs/stream?host=cache&container=${SEQ}`)).status()).toBe(401);
  expect((await request.get(`/api/logs/download?host=cache&container=${SEQ}`)).status()).toBe(401);
  await signIn(page, ADMIN.email, ADMIN.password);
  const cases: [string, string][] = [
    ["container=a%20b", "container"],
    ["container=x&tail=0", "tail"],
    ["container=x&tail=abc", "tail"],
    ["container=x&since=yesterday", "since"],
    ["container=x&q=(a)%5C1&regex=1", "q"],
    [`container=x&q=${"y".repeat(201)}`, "q"],
  ];
  for (const [qs, field] of cases) {
    const res = await page.request.get(`/api/logs/stream?host=cache&${qs}`);
    expect(res.status(), qs).toBe(400);
    expect(Object.keys((await res.json()).error.fieldErrors), qs).toContain(field);
  }
  expect((await page.request.get(`/api/logs/stream?host=cache&container=pxf-logtest-nope`)).status()).toBe(404);
});

test("shows every line in order, stderr in the error colour, ANSI colours rendered", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto(`/logs?host=cache&container=${SEQ}&tail=all&follow=0`);
  await expect(page.getByTestId("log-count")).toHaveText("400 lines");
  const expected = await readDockerLines(socket, SEQ);
  const rows = await collectRows(page);
  expect(rows.map((r) => [r.stream, r.text])).toEqual(expected.map((l) => [l.stream, strip(l.text)]));
  const errColour = rows.find((r) => r.stream === "stderr")?.color;
  const outColour = rows.find((r) => r.stream === "stdout")?.color;
  expect(errColour).not.toBe(outColour);
  expect(rows.filter((r) => r.stream === "stderr").every((r) => r.color === errColour)).toBe(true);
  expect(isReddish(errColour ?? "")).toBe(true);
  // The ANSI colours: "green" on stdout (SGR 32), "red" on stderr (SGR 31).
  expect(new Set(rows.filter((r) => r.stream === "stdout").map((r) => r.ansi))).toEqual(new Set(["rgb(34, 197, 94)"]));
  expect(new Set(rows.filter((r) => r.stream === "stderr").map((r) => r.ansi))).toEqual(new Set(["rgb(239, 68, 68)"]));
  await expect(page.locator("[data-testid=log-line] script")).toHaveCount(0);
});

test("follow shows new lines; pause keeps them and resume shows them all", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto(`/logs?host=cache&container=${LIVE}&tail=5`);
  const count = async () => page.evaluate(() => window.__pxfLogTest?.count() ?? 0);
  await expect.poll(count).toBeGreaterThan(8);
  await page.getByRole("button", { name: "Pause" }).click();
  const paused = await count();
  await expect.poll(async () => Number((await page.getByTestId("log-held").textContent())?.replace(/\D/g, "") ?? 0)).toBeGreaterThan(3);
  expect(await count()).toBe(paused);
  await page.getByRole("button", { name: "Resume" }).click();
  await expect.poll(count).toBeGreaterThan(paused + 3);
  const numbers = (await page.evaluate(() => window.__pxfLogTest?.texts() ?? [])).map((t) => Number(t.replace("live ", "")));
  expect(numbers.length).toBeGreaterThan(10);
  numbers.forEach((n, i) => i === 0 || expect(n, "no line lost").toBe((numbers[i - 1] ?? 0) + 1));
});

test("the filter returns exactly the matching lines, plain and regex, highlighted", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto(`/logs?host=cache&container=${SEQ}&tail=all&follow=0`);
  await expect(page.getByTestId("log-count")).toHaveText("400 lines");
  const all = (await readDockerLines(socket, SEQ)).map((l) => strip(l.text));

  await page.getByLabel("Filter").fill("ERR 1");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/q=ERR\+1/);
  const plain = all.filter((t) => t.toLowerCase().includes("err 1"));
  await expect(page.getByTestId("log-count")).toHaveText(`${plain.length} lines`);
  expect((await collectRows(page)).map((r) => r.text)).toEqual(plain);
  await expect(page.locator("mark").first()).toHaveText(/err 1/i);

  await page.getByLabel("Regex").click();
  await expect(page.getByLabel("Regex")).toBeChecked();
  await page.getByLabel("Filter").fill("^out 5\\d green$");
  await page.getByRole("button", { name: "Apply" }).click();
  const re = all.filter((t) => /^out 5\d green$/.test(t));
  await expect(page.getByTestId("log-count")).toHaveText(`${re.length} lines`);
  expect((await collectRows(page)).map((r) => r.text)).toEqual(re);
});

test("the download equals the container's log byte for byte (plain and gzip)", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const expected = Buffer.concat((await readDockerLog(socket, SEQ)).map((f) => f.payload));
  await page.goto(`/logs?host=cache&container=${SEQ}&tail=all&follow=0`);
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download", exact: true }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^pxf-logtest-seq-.*\.log$/);
  expect(readFileSync(await download.path()).equals(expected)).toBe(true);
  const gz = await page.request.get(`/api/logs/download?host=cache&container=${SEQ}&gzip=1`);
  expect(gz.headers()["content-disposition"]).toContain("attachment");
  expect(gunzipSync(await gz.body()).equals(expected)).toBe(true);
});

test("closing the view ends the remote logs request (checked on the host)", async ({ page, context }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect.poll(() => countDaemonLogRequests(socket)).toBe(0);
  const viewer = await context.newPage();
  await viewer.goto(`/logs?host=cache&container=${LIVE}&tail=5`);
  await expect.poll(() => viewer.evaluate(() => window.__pxfLogTest?.count() ?? 0)).toBeGreaterThan(5);
  expect(await countDaemonLogRequests(socket)).toBe(1);
  // A second viewer of the same container and options shares the remote stream.
  const second = await context.newPage();
  await second.goto(`/logs?host=cache&container=${LIVE}&tail=5`);
  await expect.poll(() => second.evaluate(() => window.__pxfLogTest?.count() ?? 0)).toBeGreaterThan(5);
  expect(await countDaemonLogRequests(socket)).toBe(1);
  await second.close();
  await viewer.close();
  await expect.poll(() => countDaemonLogRequests(socket), { timeout: 10_000 }).toBe(0);
});

test("a million lines: scrolling works and a click is handled within a second", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto(`/logs?host=cache&container=${SEQ}&tail=1&follow=0`);
  await expect(page.getByTestId("log-count")).toHaveText("1 lines");
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({
      type: "longtask",
      buffered: false,
    });
    window.__pxfLogTest?.append(1_000_000);
  });
  await expect(page.getByTestId("log-count")).toHaveText("1,000,000 lines", { timeout: 30_000 });
  // Keep lines pouring in (10k per 100 ms) while the user scrolls and clicks.
  await page.evaluate(() => {
    (window as unknown as { __feed: number }).__feed = window.setInterval(() => window.__pxfLogTest?.append(10_000), 100);
  });
  const scroller = page.getByTestId("log-scroll");
  await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await page.mouse.move(400, 600);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -800);
  await expect(page.locator('[data-testid="log-line"]').first()).toBeVisible();
  const started = Date.now();
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByRole("button", { name: "Resume" })).toBeVisible({ timeout: 1_000 });
  const clickMs = Date.now() - started;
  const longTasks = await page.evaluate(() => {
    window.clearInterval((window as unknown as { __feed: number }).__feed);
    return (window as unknown as { __longTasks: number[] }).__longTasks;
  });
  console.log(
    `[logs load] click handled in ${clickMs} ms; ${longTasks.length} long tasks, longest ${Math.round(Math.max(0, ...longTasks))} ms`,
  );
  expect(clickMs).toBeLessThan(1_000);
  await expect(page.getByTestId("log-count")).toHaveText("1,000,000 lines");
});
