import { expect, test } from "@playwright/test";
import { fleetStatus } from "../support/fleet";
import { OwnPanel } from "../support/own-panel";
import { servedVersion } from "../support/traffic";

test.describe.configure({ mode: "serial" });

const panel = new OwnPanel(3201, "/tmp/pxf-e2e-restart");
let token = "";
let pingUrl = "";

async function api(path: string, init: RequestInit = {}) {
  const res = await fetch(`${panel.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers ?? {}) },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
}

test.afterAll(() => panel.kill());

test("a panel restart during a deploy ends the job as interrupted, frees the lock, and the old version serves", async () => {
  test.setTimeout(180_000);
  pingUrl = `${fleetStatus().stack.publicDomain}/api/v1/ping`;
  panel.prepare();
  panel.cli(["fleet", "import"]);
  // A start period keeps the new container in the health gate long enough to kill the panel there.
  panel.cli([
    "stack",
    "deploy-settings",
    "--name",
    "pixelfox",
    "--json",
    JSON.stringify({ healthStartPeriodMs: 8000, healthAttempts: 3, healthIntervalMs: 500, healthTimeoutMs: 1000, drainMs: 500 }),
  ]);
  token = panel.cli(["token", "create", "--name", "restart-test", "--role", "deployer"]).trim().split("\n").pop() ?? "";
  await panel.start();

  const before = await servedVersion(pingUrl);
  const target = before === "v1.1.0" ? "v1.0.0" : "v1.1.0";
  const started = await api("/api/v1/stacks/pixelfox/deployments", { method: "POST", body: JSON.stringify({ tag: target }) });
  expect(started.status).toBe(202);
  const jobId = String(started.body.jobId);

  await waitFor(async () => {
    const job = await api(`/api/v1/jobs/${jobId}`);
    const gate = (job.body.steps as { key: string; status: string }[]).find((s) => s.key === "gate:app");
    return gate?.status === "running" ? true : undefined;
  });
  panel.kill();
  expect(await servedVersion(pingUrl)).toBe(before);

  await panel.start();
  const job = await api(`/api/v1/jobs/${jobId}`);
  expect(job.body.status).toBe("interrupted");
  expect(String(job.body.error)).toMatch(/panel stopped/i);
  expect((job.body.deployment as { status: string }).status).toBe("interrupted");
  expect(await servedVersion(pingUrl)).toBe(before);

  // The lock is free: a new deploy is accepted, cleans up the abandoned container, and succeeds.
  panel.cli(["stack", "deploy-settings", "--name", "pixelfox", "--json", JSON.stringify({ healthStartPeriodMs: 0 })]);
  const again = await api("/api/v1/stacks/pixelfox/deployments", { method: "POST", body: JSON.stringify({ tag: target }) });
  expect(again.status).toBe(202);
  const final = await waitFor(async () => {
    const j = await api(`/api/v1/jobs/${String(again.body.jobId)}`);
    return ["succeeded", "failed"].includes(String(j.body.status)) ? j.body : undefined;
  }, 120_000);
  expect(final.status).toBe("succeeded");
  expect(await servedVersion(pingUrl)).toBe(target);
});
