import { expect, test } from "@playwright/test";
import { linkCut, wanOff, wanOn, wanStatus, WAN_BIND } from "../../fleet/lib/wan/wan";
import { faultScenario } from "../support/fault-table";
import { fleetHost } from "../support/fleet";
import { describeTraffic, startTraffic } from "../support/traffic";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { LIVE_SCRIPT, removeLogContainer, startLogContainer, TEST_PREFIX } from "../3-logs/log-fixtures";
import { dropSshSessions } from "../support/host-faults";
import { gateHolding, FaultPanel, until, versionsToDeploy } from "./fault-panel";

// A host's link cut for 20 s (everything towards it stalls, nothing is lost), through the fleet's WAN
// emulator: the panel's SSH to every host crosses it from the start of this file.

test.describe.configure({ mode: "serial" });

const panel = new FaultPanel(3206, "/tmp/pxf-e2e-faults-link");
const CUT_MS = 20_000;
const LOG_CONTAINER = `${TEST_PREFIX}linkcut`;

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  panel.env.PANEL_HEALTH_INTERVAL_MS = "2000";
  await wanOn({ delayMs: 5, rateBytesPerSec: 0 });
  await panel.setUp(playwright, gateHolding(3000));
});
test.afterAll(async () => {
  await removeLogContainer(fleetHost("cache").dockerSocket, LOG_CONTAINER);
  await panel.tearDown();
  await wanOff();
});

type Check = { subject: string; status: string; reason: string | null };
const sweepNow = async () => {
  await trpcMutation(panel.api, "health.checkNow", { stack: "pixelfox" });
  const overview = await trpcQuery<{ sweep: { checks: Check[] } | null }>(panel.api, "health.overview", { stack: "pixelfox" });
  return overview.sweep!.checks;
};

/** Reads a follow log stream's NDJSON lines as they come, collecting the container's "live N" numbers. */
function readLiveNumbers(body: ReadableStream<Uint8Array>) {
  const numbers: number[] = [];
  const controls: string[] = [];
  const reader = body.getReader();
  let rest = "";
  const done = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      const parts = (rest + new TextDecoder().decode(value)).split("\n");
      rest = parts.pop() ?? "";
      for (const p of parts.filter(Boolean)) {
        const msg = JSON.parse(p) as { text?: string; event?: string; message?: string };
        if (msg.event) {
          if (msg.event !== "heartbeat") controls.push(`${msg.event}${msg.message ? `: ${msg.message}` : ""}`);
        } else {
          const m = /^live (\d+)$/.exec(msg.text ?? "");
          if (m) numbers.push(Number(m[1]));
        }
      }
    }
  })();
  return { numbers, controls, stop: () => reader.cancel().catch(() => undefined), done };
}

faultScenario(
  "cache host's link cut 20 s during a health sweep and a log stream",
  "the sweep shows cache degraded, then every check recovers by itself; the log stream goes on without duplicating or skipping a line, also when the connection is lost and reopened",
  async (_args, observe) => {
    test.setTimeout(180_000);
    await startLogContainer(fleetHost("cache").dockerSocket, LOG_CONTAINER, LIVE_SCRIPT);
    expect((await sweepNow()).filter((c) => c.status === "down")).toEqual([]);
    const res = await fetch(`${panel.url}/api/logs/stream?host=cache&container=${LOG_CONTAINER}&tail=all&follow=1`, {
      headers: { authorization: `Bearer ${panel.token}` },
    });
    expect(res.status).toBe(200);
    const stream = readLiveNumbers(res.body!);
    await until("a few log lines", () => (stream.numbers.length >= 5 ? true : undefined));

    await linkCut("cache", CUT_MS);
    const cutAt = Date.now();
    // The panel's own monitor sweeps every 2 s: a sweep that runs into the cut sees cache degraded.
    const during = await until(
      "a sweep overlapping the cut that shows cache degraded",
      async () => {
        const { sweep } = await trpcQuery<{ sweep: { startedAt: string; durationMs: number; checks: Check[] } | null }>(
          panel.api,
          "health.overview",
          {
            stack: "pixelfox",
          },
        );
        if (!sweep || Date.parse(sweep.startedAt) + sweep.durationMs < cutAt) return undefined;
        return sweep.checks.some((c) => c.subject.includes("cache") && c.status !== "ok") ? sweep.checks : undefined;
      },
      CUT_MS,
    );
    const cache = during.filter((c) => c.subject.includes("cache") && c.status !== "ok");
    observe(`sweep during the cut: ${cache.map((c) => `${c.subject} ${c.status}`).join(", ")} ("${cache[0]!.reason?.slice(0, 80)}")`);
    await until("the cut to end", () => (Object.keys(wanStatus().cut).length === 0 ? true : undefined), CUT_MS + 5_000);
    const lastBefore = stream.numbers.at(-1)!;
    // The container kept writing (5 lines a second): the stream must bring those lines too.
    await until("lines written during the cut", () => (stream.numbers.at(-1)! > lastBefore + 20 ? true : undefined), 40_000);
    const after = await until(
      "every check ok again",
      async () => {
        const checks = await sweepNow();
        return checks.every((c) => c.status === "ok") ? checks : undefined;
      },
      60_000,
    );
    observe(`recovered ${Math.round((Date.now() - cutAt) / 1000)} s after the cut began: ${after.length} checks ok`);
    // The link held the connection through the cut. Now lose it for real (cache's sshd drops every
    // session): the stream is reopened where it stopped.
    const beforeLoss = stream.numbers.at(-1)!;
    const dropped = dropSshSessions("cache");
    await until(
      "the stream to be reopened",
      () => (stream.controls.some((c) => c.startsWith("notice: Reconnected")) ? true : undefined),
      30_000,
    );
    await until("lines after the reconnect", () => (stream.numbers.at(-1)! > beforeLoss + 15 ? true : undefined), 30_000);
    observe(
      `connection then lost (${dropped} sshd session processes killed): "${stream.controls.find((c) => c.startsWith("notice: Reconnected"))?.slice(8, 60)}…"`,
    );
    await stream.stop();
    const n = stream.numbers;
    const gaps = n.slice(1).filter((v, i) => v !== n[i]! + 1);
    expect(gaps, `lines out of order, repeated or missing after: ${gaps.slice(0, 5).join(", ")}`).toEqual([]);
    expect(stream.controls.filter((c) => c.startsWith("error"))).toEqual([]);
    observe(
      `log stream: lines ${n[0]}…${n.at(-1)} in order, none repeated or skipped${stream.controls.length ? ` (${stream.controls.join("; ")})` : ""}`,
    );
  },
);

faultScenario(
  "app host's link cut 20 s during a deploy",
  "the deploy completes or fails; the stack serves the old or the new version throughout (users do not cross the panel's link)",
  async (_args, observe) => {
    test.setTimeout(240_000);
    const { pingUrl, before, target } = await versionsToDeploy(WAN_BIND);
    const traffic = startTraffic(pingUrl, { localAddress: WAN_BIND });
    const jobId = await panel.deploy(target);
    await panel.waitForStep(jobId, "gate:app");
    await linkCut("app", CUT_MS);
    observe("app's link cut in the health gate");
    const job = await panel.waitForJobEnd(jobId, 180_000);
    const stats = await traffic.stop();
    console.log(describeTraffic("link cut mid-deploy", stats));
    expect(["succeeded", "failed"]).toContain(job.status);
    observe(`job ${job.status}${job.error ? `: ${job.error.slice(0, 120)}` : ""}`);
    expect(stats.failures, stats.errors.slice(0, 3).join("; ")).toBe(0);
    const served = [...stats.versions.keys()].sort();
    expect(served.every((v) => v === before || v === target)).toBe(true);
    observe(`traffic: ${stats.requests} requests, 0 failed, served ${served.join(" and ")}`);
    await until("the cut to end", () => (Object.keys(wanStatus().cut).length === 0 ? true : undefined), CUT_MS + 5_000);
    expect(await panel.lock()).toBeNull();
  },
);
