import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { attachContainerUsage } from "./container-usage";
import { isSweepStale, loadLatestSweep, rememberSweep, runFresh, runOnce } from "./latest";
import type { TopologyService } from "./topology";
import type { CheckResult, SweepResult } from "./types";

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

const check = (subject: string, fields: Partial<CheckResult> = {}): CheckResult => ({
  subject,
  kind: "host",
  hostId: "h1",
  hostName: "db",
  status: "ok",
  reason: null,
  latencyMs: 3,
  checkedAt: "2026-01-01T00:00:00.000Z",
  metrics: {},
  details: {},
  ...fields,
});
const sweep = (stackId: string, startedAt: string): SweepResult => ({
  stackId,
  stackName: "pixelfox",
  startedAt,
  durationMs: 120,
  checks: [check("host:db", { metrics: { cpu: 5 } })],
});

/** What a new server process sees: the module memory on globalThis is gone, the store is not. */
function forgetProcessMemory() {
  delete (globalThis as unknown as Record<symbol, unknown>)[Symbol.for("pixelfox.health.latest")];
}

describe("the latest sweep survives a panel restart", () => {
  it("is stored after each sweep and read back as the last known state, not a fresh one", async () => {
    const at = new Date(Date.now() - 40_000).toISOString();
    await rememberSweep(sweep("stack1", at));
    expect((await db.healthSnapshot.findUniqueOrThrow({ where: { stackId: "stack1" } })).at.toISOString()).toBe(at);
    expect((await loadLatestSweep("stack1"))?.isRestored).toBe(false);

    forgetProcessMemory();
    const restored = await loadLatestSweep("stack1");
    expect(restored?.sweep.checks[0]?.metrics.cpu).toBe(5);
    expect(restored?.sweep.startedAt).toBe(at);
    expect(restored?.isRestored).toBe(true);
    expect(isSweepStale(restored!)).toBe(true);

    // The first sweep of the new process replaces it and is live again.
    await rememberSweep(sweep("stack1", new Date().toISOString()));
    const live = await loadLatestSweep("stack1");
    expect(live?.isRestored).toBe(false);
    expect(isSweepStale(live!)).toBe(false);
  });

  it('keeps hosts outside any stack under the reserved stack id ""', async () => {
    await rememberSweep(sweep("", new Date().toISOString()));
    forgetProcessMemory();
    expect((await loadLatestSweep(""))?.sweep.checks[0]?.subject).toBe("host:db");
    expect(await loadLatestSweep("never-swept")).toBeNull();
  });

  it("calls a live sweep older than 5 minutes stale", () => {
    expect(isSweepStale({ sweep: sweep("s", new Date(Date.now() - 6 * 60_000).toISOString()), isRestored: false })).toBe(true);
  });
});

describe("joining a running sweep", () => {
  /** A sweep function whose end the test controls, numbering the sweeps it was asked to run. */
  function controlledSweeps() {
    const releases: Array<() => void> = [];
    let started = 0;
    const fn = () => {
      const n = ++started;
      return new Promise<SweepResult>((resolve) => releases.push(() => resolve(sweep("joins", `2026-01-01T00:00:0${n}.000Z`))));
    };
    return { fn, releases, started: () => started };
  }
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it("the scheduler joins the sweep already running", async () => {
    const c = controlledSweeps();
    const a = runOnce("joins", c.fn);
    const b = runOnce("joins", c.fn);
    c.releases[0]!();
    expect((await a).startedAt).toBe((await b).startedAt);
    expect(c.started()).toBe(1);
  });

  it('"Check now" never gets a sweep that started before it asked: it waits and runs anew', async () => {
    const c = controlledSweeps();
    const older = runOnce("joins", c.fn);
    await tick();
    const fresh = runFresh("joins", c.fn);
    const alsoFresh = runFresh("joins", c.fn);
    await tick();
    expect(c.started()).toBe(1); // nothing new starts while the older one runs
    c.releases[0]!();
    await older;
    await tick();
    expect(c.started()).toBe(2); // one new sweep, shared by both clicks
    c.releases[1]!();
    expect((await fresh).startedAt).toBe("2026-01-01T00:00:02.000Z");
    expect((await alsoFresh).startedAt).toBe("2026-01-01T00:00:02.000Z");
  });
});

describe("attachContainerUsage", () => {
  it("copies each service container's CPU and memory from its host's check onto the service", () => {
    const host = { id: "h1", name: "db", address: "10.0.0.2", hostKeyState: "PINNED", target: null };
    const services = [
      { id: "s1", kind: "db", host, containerName: "pxlfox-db", settings: {} },
      { id: "s2", kind: "app", host, containerName: "pxlfox-app", settings: {} },
    ] as TopologyService[];
    const checks = attachContainerUsage(
      [
        check("host:db", {
          details: {
            containers: [
              { name: "pxlfox-db", cpuPct: 1.5, memBytes: 1000, memLimitBytes: 0 },
              { name: "pxlfox-app-4001", cpuPct: 2, memBytes: 50, memLimitBytes: 0 },
            ],
          },
        }),
        check("db@db", { kind: "db", metrics: { latency: 4 } }),
        check("app@db", { kind: "app", details: { container: "pxlfox-app-4001" } }),
      ],
      services,
    );
    expect(checks[1]?.metrics).toEqual({ latency: 4, containerCpu: 1.5, containerMem: 1000 });
    expect(checks[2]?.metrics).toEqual({ containerCpu: 2, containerMem: 50 });
  });
});
