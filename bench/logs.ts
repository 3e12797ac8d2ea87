/**
 * `npm run bench -- logs`: the panel's log stream against `ssh <host> docker logs` for a container
 * that has written 1,000,000 lines, on the cache host of the sandbox fleet. Prints figures only.
 * Runs the panel's service in-process (same code path as GET /api/logs/stream, minus HTTP).
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { countDaemonLogRequests, readDockerLog, removeLogContainer, startLogContainer } from "@/e2e/3-logs/log-fixtures";
import { createSshDocker } from "@/server/adapters/docker";
import { getSshPool } from "@/server/adapters/ssh/pool";
import { loadFleet } from "@/server/adapters/ssh/testing/test-fleet";
import { createDockerLogOpener } from "@/server/services/logs/docker-log-source";
import { openSharedLogStream } from "@/server/services/logs/log-hub";
import { ZLogStreamQuery } from "@/server/services/logs/query";
import { sampleRss } from "./rss";

const NAME = "pxf-logtest-bench";
const LINES = 1_000_000;

/** Newlines in a chunk, counted the same fast way on both sides (a byte-by-byte loop costs seconds here). */
function countNewlines(chunk: Uint8Array): number {
  const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let n = 0;
  for (let at = buf.indexOf(10); at !== -1; at = buf.indexOf(10, at + 1)) n++;
  return n;
}

async function timePanel(hostId: string, open: ReturnType<typeof createDockerLogOpener>) {
  const started = performance.now();
  const body = await openSharedLogStream(hostId, ZLogStreamQuery.parse({ host: "cache", container: NAME, tail: "all" }), open);
  const reader = body.getReader();
  let first = 0;
  let lines = 0;
  const rss = sampleRss();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!first) first = performance.now() - started;
    lines += countNewlines(value);
  }
  const ms = performance.now() - started;
  const peakRss = rss.peak();
  rss.stop();
  return { ms, first, lines: lines - 1, peakRss };
}

function timeSsh(keyPath: string, address: string): Promise<{ ms: number; first: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    let lines = 0;
    const child = spawn(
      "ssh",
      [
        "-i",
        keyPath,
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        `root@${address}`,
        "docker",
        "logs",
        NAME,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const count = (chunk: Buffer) => {
      if (!first) first = performance.now() - started;
      lines += countNewlines(chunk);
    };
    child.stdout?.on("data", count);
    child.stderr?.on("data", count);
    child.on("error", reject);
    child.on("close", () => resolve({ ms: performance.now() - started, first, lines }));
  });
}

export async function main(): Promise<void> {
  if (process.env.BENCH_LOGS_PART === "browser") return measureBrowserFrames();
  const fleet = await loadFleet();
  const cache = fleet.host("cache");
  const socket = cache.dockerSocket;
  console.log(`writing ${LINES.toLocaleString("en-US")} lines in ${NAME} on the cache host…`);
  await startLogContainer(
    socket,
    NAME,
    `i=1; while [ $i -le ${LINES} ]; do echo "bench line $i with some payload text"; i=$((i+1)); done; exec sleep 100000`,
    undefined,
    {
      // The fleet's daemons rotate logs at 3 × 10 MB; this container keeps all of its ~140 MB so the
      // figures are for the whole million lines.
      LogConfig: { Type: "json-file", Config: { "max-size": "1g", "max-file": "1" } },
    },
  );
  for (;;) {
    const frames = await readDockerLog(socket, NAME, 1).catch(() => []);
    const last = frames.at(-1)?.payload.toString() ?? "";
    if (last.includes(`bench line ${LINES} `)) break;
    await new Promise((r) => setTimeout(r, 2_000));
  }
  const target = fleet.target("cache");
  const open = createDockerLogOpener(createSshDocker()(target), NAME);
  const rssBefore = process.memoryUsage.rss();
  await timePanel(target.hostId, open); // warm-up: connection + JIT
  const panel = await timePanel(target.hostId, open);
  const ssh = await timeSsh(cache.privateKeyPath, cache.sshHost);
  const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString("en-US");
  console.log(
    `panel stream : ${panel.lines.toLocaleString("en-US")} lines in ${panel.ms.toFixed(0)} ms = ${rate(panel.lines, panel.ms)} lines/s; first line after ${panel.first.toFixed(0)} ms`,
  );
  console.log(
    `ssh docker logs: ${ssh.lines.toLocaleString("en-US")} lines in ${ssh.ms.toFixed(0)} ms = ${rate(ssh.lines, ssh.ms)} lines/s; first line after ${ssh.first.toFixed(0)} ms`,
  );
  if (panel.lines !== LINES || ssh.lines !== LINES)
    console.log(
      `note: the container's log held ${panel.lines.toLocaleString("en-US")} (panel) / ${ssh.lines.toLocaleString("en-US")} (ssh) of ${LINES.toLocaleString("en-US")} lines`,
    );
  console.log(`ratio (panel lines/s ÷ ssh lines/s): ${(panel.lines / panel.ms / (ssh.lines / ssh.ms)).toFixed(2)}`);
  console.log(
    `server RSS: before ${(rssBefore / 2 ** 20).toFixed(0)} MiB, peak during the stream ${(panel.peakRss / 2 ** 20).toFixed(0)} MiB (growth ${((panel.peakRss - rssBefore) / 2 ** 20).toFixed(0)} MiB)`,
  );
  console.log(`remote logs requests still open after the run: ${await countDaemonLogRequests(socket)}`);
  getSshPool().closeAll();
  await removeLogContainer(socket, NAME);
  await measureBrowserFrames();
}

const BROWSER_PORT = Number(process.env.BENCH_PANEL_PORT ?? 3195);
const BENCH_USER = { email: "bench@pixelfox.test", password: "a-long-bench-password-0123" };

/**
 * The browser figure: a production build of the panel (`next build` must have run) on a scratch
 * store, headless chromium on /logs, 1,000,000 lines appended in batches through the same path as the
 * stream (`window.__pxfLogTest.append`), requestAnimationFrame intervals recorded meanwhile.
 */
async function measureBrowserFrames(): Promise<void> {
  if (!fs.existsSync(".next/BUILD_ID")) {
    console.log("browser frame time: not measured (no production build here: run `npx next build` first)");
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-bench-logs-"));
  const env = { ...process.env, PANEL_DATA_DIR: dataDir };
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env, stdio: "ignore" });
  execFileSync(
    process.execPath,
    ["--import", "tsx", "scripts/panel-cli.ts", "user", "create", "--email", BENCH_USER.email, "--role", "admin"],
    { env, input: BENCH_USER.password, stdio: ["pipe", "ignore", "inherit"] },
  );
  const server = spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(BROWSER_PORT)], { env, stdio: "ignore", detached: true });
  const base = `http://127.0.0.1:${BROWSER_PORT}`;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${base}/api/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 120) throw new Error("the bench panel did not start within 60 s");
      await new Promise((r) => setTimeout(r, 500));
    }
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // tsx keeps function names with a `__name` helper that the page does not have.
    await page.addInitScript("window.__name = (f) => f;");
    await page.goto(`${base}/login`);
    await page.getByLabel("Email").fill(BENCH_USER.email);
    await page.getByLabel("Password").fill(BENCH_USER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.goto(`${base}/logs`);
    await page.waitForFunction(() => Boolean(window.__pxfLogTest));
    const frames = await page.evaluate(recordFramesWhileAppending, { total: 1_000_000, perFrame: 10_000 });
    const sorted = [...frames.intervals].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
    console.log(
      `browser frame time while 1,000,000 lines stream in (10,000 per frame, ${sorted.length} frames, ${(frames.ms / 1000).toFixed(1)} s): p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms; view holds ${frames.count.toLocaleString("en-US")} lines`,
    );
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid, "SIGTERM");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs in the page: appends `total` lines, `perFrame` at a time, and records every frame interval until they are all shown. */
function recordFramesWhileAppending({
  total,
  perFrame,
}: {
  total: number;
  perFrame: number;
}): Promise<{ intervals: number[]; ms: number; count: number }> {
  return new Promise((resolve) => {
    const hook = window.__pxfLogTest;
    if (!hook) throw new Error("no log view test hook");
    const start = hook.count();
    const intervals: number[] = [];
    const began = performance.now();
    let last = began;
    let sent = 0;
    const tick = (now: number) => {
      intervals.push(now - last);
      last = now;
      if (sent < total) {
        hook.append(Math.min(perFrame, total - sent));
        sent += perFrame;
      }
      if (hook.count() - start >= total || performance.now() - began > 120_000) {
        resolve({ intervals: intervals.slice(1), ms: performance.now() - began, count: hook.count() });
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}
