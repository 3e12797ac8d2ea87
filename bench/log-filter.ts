/**
 * `npx tsx bench/log-filter.ts`: what the linear-time log filter costs. Matches 200,000 ordinary log
 * lines against five common patterns with JavaScript's RegExp (the old engine), RE2JS alone, and the
 * panel's whole filter (ANSI stripping, the searched-length cut and the CPU budget clock included).
 * Prints lines per second; no fleet needed, never asserts timings.
 */
import { readFileSync } from "node:fs";
import type { RE2JS } from "re2js";
import { compileFilter, FILTER_BURST_MS, FILTER_MS_PER_SECOND } from "@/server/services/logs/filter";
import { compileLinearRegex } from "@/server/services/logs/linear-regex";

const LINES = 200_000;
const PATTERNS = [
  "ERROR|WARN",
  "status=5\\d\\d",
  "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:5\\d",
  "(?:GET|POST) /api/v1/\\w+/\\d+ ",
  "user=\\w+ .*timeout",
];

/** A deterministic mix of access, application, JSON and stack-trace lines, 60–400 characters. */
function makeLines(): string[] {
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 48271) % 2147483647;
    return seed % n;
  };
  const users = ["alice", "bob", "carol", "dave", "erin"];
  const levels = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"];
  const out: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const ts = `2026-01-31T12:${String(rnd(60)).padStart(2, "0")}:${String(rnd(60)).padStart(2, "0")}.${String(rnd(1000)).padStart(3, "0")}Z`;
    const user = users[rnd(users.length)] ?? "alice";
    switch (rnd(4)) {
      case 0:
        out.push(
          `${ts} ${["GET", "POST", "PUT"][rnd(3)]} /api/v1/${["items", "orders", "users"][rnd(3)]}/${rnd(100_000)} status=${[200, 200, 201, 404, 500, 503][rnd(6)]} ${rnd(900)}ms user=${user}`,
        );
        break;
      case 1:
        out.push(
          `${ts} ${levels[rnd(levels.length)]} [worker-${rnd(8)}] job ${rnd(1e6)} for user=${user} ${rnd(10) ? "done" : "failed: timeout after 30s"}`,
        );
        break;
      case 2:
        out.push(
          JSON.stringify({
            ts,
            level: levels[rnd(levels.length)]?.toLowerCase(),
            msg: "request handled",
            user,
            path: `/p/${rnd(1e5)}`,
            took: rnd(500),
            trace: "x".repeat(rnd(200)),
          }),
        );
        break;
      default:
        out.push(
          `    at Object.handler (/app/server/${["db", "cache", "http"][rnd(3)]}/client.js:${rnd(900)}:${rnd(80)}) \x1b[2m${"·".repeat(rnd(40))}\x1b[0m`,
        );
    }
  }
  return out;
}

/** Lines in a batch, as a remote chunk of ~16 KiB gives the log session. */
const BATCH = 128;

/** Best of three timed passes after a warm-up pass: lines per second and the count of matches. */
function measure(batches: string[][], matchBatch: (texts: string[]) => boolean[]): { perSecond: number; matches: number } {
  let matches = 0;
  for (const b of batches) for (const m of matchBatch(b)) if (m) matches++;
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const started = performance.now();
    for (const b of batches) matchBatch(b);
    best = Math.min(best, performance.now() - started);
  }
  return { perSecond: (LINES / best) * 1000, matches };
}

export async function main(): Promise<void> {
  const lines = makeLines();
  const chars = lines.reduce((n, l) => n + l.length, 0);
  const batches = Array.from({ length: Math.ceil(LINES / BATCH) }, (_, i) => lines.slice(i * BATCH, (i + 1) * BATCH));
  const { version } = JSON.parse(readFileSync("node_modules/re2js/package.json", "utf8")) as { version: string };
  console.log(
    `${LINES.toLocaleString("en-US")} lines, ${(chars / LINES).toFixed(0)} characters on average; node ${process.version}, re2js ${version}`,
  );
  const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M/s`.padStart(11);
  console.log(`${"pattern".padEnd(36)}${"RegExp".padStart(11)}${"RE2JS".padStart(11)}${"filter".padStart(11)}  RE2JS/RegExp  matches`);
  for (const pattern of PATTERNS) {
    const native = new RegExp(pattern);
    const compiled = compileLinearRegex(pattern);
    if ("reason" in compiled) throw new Error(`${pattern}: ${compiled.reason}`);
    const re: RE2JS = compiled.re;
    // A budget large enough never to stop the bench: this measures matching, not the budget.
    const filter = compileFilter(pattern, true, { burstMs: 1e9, msPerSecond: 1e9 });
    const old = measure(batches, (b) => b.map((l) => native.test(l)));
    const linear = measure(batches, (b) => b.map((l) => re.test(l)));
    const panel = measure(batches, (b) => filter.matchBatch(b));
    const agree = old.matches === linear.matches && linear.matches === panel.matches ? "" : " (counts differ!)";
    console.log(
      `${pattern.padEnd(36)}${fmt(old.perSecond)}${fmt(linear.perSecond)}${fmt(panel.perSecond)}  ${(linear.perSecond / old.perSecond).toFixed(2).padStart(12)}  ${linear.matches}${agree}`,
    );
  }
  console.log(
    `filter: the panel's whole filter, in batches of ${BATCH} lines. Its budget per stream, ${FILTER_BURST_MS} ms at once and ` +
      `${FILTER_MS_PER_SECOND} ms per second, lets a stream filter ${FILTER_BURST_MS / 1000} × (filter) lines at once and ` +
      `${FILTER_MS_PER_SECOND / 1000} × (filter) lines per second before it is stopped.`,
  );
}

void main();
