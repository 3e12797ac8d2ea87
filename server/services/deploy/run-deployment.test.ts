process.env.PANEL_SECRET ??= "unit-test-secret-unit-test-secret-0123456789";
import type { Stack } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { createFakeDocker } from "@/server/adapters/docker/testing/fake-docker";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { ZDeploySettings } from "@/server/domain/deploy";
import { createFakeJob } from "@/server/jobs/testing/fake-job";
import { LABELS } from "./app-containers";
import type { ProbeResult } from "./health-gate";
import type { DeployPlan } from "./plan";
import type { DeployPorts } from "./ports";
import { runDeployment, type DeployEvidence } from "./run-deployment";
import type { EnvEntry } from "@/server/services/env/env-format";
import { hostEnvFileText } from "@/server/services/env/host-env-file";

const REPO = "registry.test/pixelfox/app";
const targetOf = (name: string): SshTarget => ({
  hostId: `h-${name}`,
  name,
  address: `10.0.0.${name.length}`,
  port: 22,
  username: "root",
  privateKey: "",
  pinnedFingerprint: "SHA256:x",
  dockerSocket: "/run/docker.sock",
});

function planFor(hosts: string[], overrides: Partial<DeployPlan> = {}, settings: Record<string, unknown> = {}): DeployPlan {
  return {
    stack: { id: "s1", name: "pixelfox", publicDomain: "http://pixelfox.test", healthPath: "/api/v1/ping" } as Stack,
    settings: ZDeploySettings.parse({ drainMs: 50, keepPrevious: 2, ...settings }),
    apps: hosts.map((h) => ({
      target: targetOf(h),
      containerName: "pxlfox-app",
      dialHost: h === "app" ? "127.0.0.1" : `10.0.0.${h.length}`,
    })),
    proxy: targetOf("app"),
    proxyService: { target: targetOf("app"), containerName: "pxlfox-proxy", settings: {} },
    env: null,
    ...overrides,
  };
}

/** A fleet of fake hosts, each running pxlfox-app v1 on port 4000, and ports that record their order with Docker's calls. */
function world(hosts: string[], opts: { healthy?: (host: string, port: number) => boolean; switchFails?: boolean } = {}) {
  const events: string[] = [];
  const fake = createFakeDocker({ calls: events });
  for (const h of hosts) {
    fake.addImage(h, `${REPO}:v1`, { env: ["PATH=/bin"] });
    fake.addContainer(h, {
      name: "pxlfox-app",
      image: `${REPO}:v1`,
      env: ["PATH=/bin", "DB_HOST=db", "APP_PORT=4000"],
      labels: { [LABELS.tag]: "v1", [LABELS.port]: "4000", owner: "compose" },
      hostConfig: {
        NetworkMode: "host",
        Binds: ["/srv/pixelfox/uploads:/app/uploads", "/srv/pixelfox/tmp:/app/tmp", "/srv/extra:/extra"],
        RestartPolicy: { Name: "always" },
      },
      logs: ["starting", "listening"],
    });
  }
  const upstreamsSet: string[][] = [];
  /** Each host's /srv/pixelfox/.env, and the stack's saved env versions. */
  const envFiles = new Map<string, string>();
  const versions = new Map<number, EnvEntry[]>();
  const ports: DeployPorts = {
    docker: fake.connector,
    healthGate: async (target, port, o) => {
      const healthy = opts.healthy ? opts.healthy(target.name, port) : true;
      events.push(`${target.name}: gate ${port} ${healthy ? "healthy" : "unhealthy"}`);
      const probe: ProbeResult = {
        attempt: 1,
        ok: healthy,
        ms: 1,
        at: new Date().toISOString(),
        ...(healthy ? { status: 200 } : { error: "timed out after 2000 ms" }),
      };
      o.onProbe(probe);
      return { healthy, probes: [probe] };
    },
    switchUpstreams: async (_plan, dials) => {
      events.push(`switch ${dials.join(",")}`);
      if (opts.switchFails) throw new Error("caddy admin refused");
      upstreamsSet.push(dials);
      return dials;
    },
    writeEnvFile: async (target, env) => {
      events.push(`${target.name}: write .env`);
      envFiles.set(target.name, hostEnvFileText(env, new Date()));
    },
    readEnvFile: async (target) => envFiles.get(target.name) ?? null,
    envVersionEntries: async (_stack, version) => versions.get(version) ?? null,
    smoke: async () => (
      events.push("smoke"),
      [{ name: "ping" as const, url: "http://pixelfox.test/api/v1/ping", ok: true, status: 200, ms: 1 }]
    ),
    sleep: async (ms) => void events.push(`drain ${ms}`),
  };
  return { fake, events, ports, upstreamsSet, envFiles, versions };
}

const want = (tag: string, extra: Partial<{ reuseTag: string }> = {}) => ({
  image: `${REPO}:${tag}`,
  tag,
  deploymentId: `dep${tag.replace(/\W/g, "")}0000000`,
  ...extra,
});
const newEvidence = (): DeployEvidence => ({ hosts: [] });
const indexOf = (events: string[], pattern: RegExp) => {
  const i = events.findIndex((e) => pattern.test(e));
  if (i < 0) throw new Error(`no event matching ${pattern} in:\n${events.join("\n")}`);
  return i;
};

describe("runDeployment (orchestration, with fakes)", () => {
  it("creates the candidate like the live container, on the other port", async () => {
    const w = world(["app"]);
    await runDeployment(createFakeJob(), planFor(["app"]), want("v2"), newEvidence(), w.ports);
    const live = w.fake.container("app", "pxlfox-app")!;
    expect(live.image).toBe(`${REPO}:v2`);
    expect(live.running).toBe(true);
    expect(live.env).toEqual(["DB_HOST=db", "APP_PORT=4001"]);
    expect(live.hostConfig.Binds).toEqual(["/srv/pixelfox/uploads:/app/uploads", "/srv/pixelfox/tmp:/app/tmp", "/srv/extra:/extra"]);
    expect(live.hostConfig.NetworkMode).toBe("host");
    expect(live.hostConfig.RestartPolicy).toEqual({ Name: "always" });
    expect(live.labels).toMatchObject({ owner: "compose", [LABELS.tag]: "v2", [LABELS.port]: "4001", [LABELS.stack]: "pixelfox" });
    expect(w.upstreamsSet).toEqual([["127.0.0.1:4001"]]);
  });

  it("gates, then switches, then drains, then stops the old container: in that order", async () => {
    const w = world(["app"]);
    await runDeployment(createFakeJob(), planFor(["app"]), want("v2"), newEvidence(), w.ports);
    const order = [
      /app: pull /,
      /app: create pxlfox-app-next-/,
      /app: start pxlfox-app-next-/,
      /app: gate 4001 healthy/,
      /^switch 127\.0\.0\.1:4001$/,
      /^drain 50$/,
      /app: stop pxlfox-app t=10/,
      /app: restart-policy pxlfox-app=no/,
      /app: rename pxlfox-app -> pxlfox-app-prev-v1-/,
      /app: rename pxlfox-app-next-\w+ -> pxlfox-app$/,
      /^smoke$/,
    ];
    const positions = order.map((p) => indexOf(w.events, p));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const prev = w.fake.containers("app").find((c) => c.name.startsWith("pxlfox-app-prev-v1-"))!;
    expect(prev.running).toBe(false);
    expect(prev.hostConfig.RestartPolicy).toEqual({ Name: "no", MaximumRetryCount: 0 });
  });

  it("a failed gate removes the candidate, never switches, and the old container keeps serving", async () => {
    const w = world(["app"], { healthy: () => false });
    const ev = newEvidence();
    const error = await runDeployment(createFakeJob(), planFor(["app"]), want("v2"), ev, w.ports).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /Health gate failed on app: pxlfox-app-next-\w+ did not answer \/api\/v1\/ping healthy after 1 probes \(last: timed out after 2000 ms\)\. It was removed; pxlfox-app \(v1\) keeps serving/,
    );
    expect(w.events.some((e) => e.startsWith("switch"))).toBe(false);
    expect(w.fake.containers("app").map((c) => [c.name, c.image, c.running])).toEqual([["pxlfox-app", `${REPO}:v1`, true]]);
    expect(ev.hosts[0]?.failedLogs).toEqual([]);
    expect(indexOf(w.events, /app: remove pxlfox-app-next-/)).toBeGreaterThan(indexOf(w.events, /gate 4001 unhealthy/));
  });

  it("a failed proxy switch removes the candidate and leaves the old one live", async () => {
    const w = world(["app"], { switchFails: true });
    await expect(runDeployment(createFakeJob(), planFor(["app"]), want("v2"), newEvidence(), w.ports)).rejects.toThrow(
      /caddy admin refused/,
    );
    expect(w.fake.containers("app").map((c) => [c.name, c.running])).toEqual([["pxlfox-app", true]]);
    expect(w.events.some((e) => /stop pxlfox-app /.test(e))).toBe(false);
  });

  it("rolls two app hosts one at a time, switching to every healthy container after each gate", async () => {
    const w = world(["app", "app2"]);
    await runDeployment(createFakeJob(), planFor(["app", "app2"]), want("v2"), newEvidence(), w.ports);
    expect(w.upstreamsSet).toEqual([
      ["127.0.0.1:4001", "10.0.0.4:4000"],
      ["127.0.0.1:4001", "10.0.0.4:4001"],
    ]);
    expect(indexOf(w.events, /^app: stop pxlfox-app /)).toBeLessThan(indexOf(w.events, /^app2: create pxlfox-app-next-/));
    // The second host never starts rolling when the first one's gate fails.
    const w2 = world(["app", "app2"], { healthy: (h) => h !== "app" });
    await expect(runDeployment(createFakeJob(), planFor(["app", "app2"]), want("v2"), newEvidence(), w2.ports)).rejects.toThrow(
      /Health gate failed on app:/,
    );
    expect(w2.events.some((e) => e.startsWith("app2: create pxlfox-app-next-"))).toBe(false);
  });

  it("keeps only the configured number of retained containers, dropping the oldest", async () => {
    const w = world(["app"]);
    const job = createFakeJob();
    for (const tag of ["v2", "v3", "v4", "v5"]) await runDeployment(job, planFor(["app"]), want(tag), newEvidence(), w.ports);
    const prev = w.fake
      .containers("app")
      .filter((c) => c.name.startsWith("pxlfox-app-prev-"))
      .map((c) => c.labels[LABELS.tag]);
    expect(prev.sort()).toEqual(["v3", "v4"]);
    expect(w.fake.container("app", "pxlfox-app")?.labels[LABELS.tag]).toBe("v5");
    expect(job.logs.some((l) => /removing pxlfox-app-prev-v1-.* \(keeping the last 2\)/.test(l.text))).toBe(true);
  });

  it("a rollback starts the retained container again instead of creating one, without pulling", async () => {
    const w = world(["app"]);
    await runDeployment(createFakeJob(), planFor(["app"]), want("v2"), newEvidence(), w.ports);
    const retainedId = w.fake.containers("app").find((c) => c.name.startsWith("pxlfox-app-prev-v1-"))!.id;
    w.events.length = 0;
    const ev = newEvidence();
    await runDeployment(createFakeJob(), planFor(["app"]), want("v1", { reuseTag: "v1" }), ev, w.ports);
    expect(w.events.some((e) => /: pull |: create pxlfox-app-next-/.test(e))).toBe(false);
    const live = w.fake.container("app", "pxlfox-app")!;
    expect(live.id).toBe(retainedId);
    expect(live.running).toBe(true);
    expect(live.hostConfig.RestartPolicy).toEqual({ Name: "always", MaximumRetryCount: 0 });
    expect(ev.hosts[0]?.candidate).toMatchObject({ reused: true, port: 4000 });
    expect(w.upstreamsSet.at(-1)).toEqual(["127.0.0.1:4000"]);
  });

  it("cleans up after an interrupted deploy: a leftover candidate is removed, a retained one found running is stopped", async () => {
    const w = world(["app"]);
    w.fake.addContainer("app", {
      name: "pxlfox-app-next-deadbeef",
      image: `${REPO}:v9`,
      labels: { [LABELS.port]: "4001" },
      running: false,
    });
    w.fake.addContainer("app", {
      name: "pxlfox-app-prev-v0-20250101T000000",
      image: `${REPO}:v1`,
      labels: { [LABELS.port]: "4001", [LABELS.tag]: "v0" },
      running: true,
    });
    const job = createFakeJob();
    await runDeployment(job, planFor(["app"]), want("v2"), newEvidence(), w.ports);
    expect(w.fake.container("app", "pxlfox-app-next-deadbeef")).toBeUndefined();
    const v0 = w.fake.containers("app").find((c) => c.name.startsWith("pxlfox-app-prev-v0-"))!;
    expect(v0.running).toBe(false);
    expect(v0.hostConfig.RestartPolicy?.Name).toBe("no");
    expect(indexOf(w.events, /remove pxlfox-app-next-deadbeef/)).toBeLessThan(indexOf(w.events, /create pxlfox-app-next-/));
    expect(job.logs.map((l) => l.text)).toContain("removing pxlfox-app-next-deadbeef left by an earlier deploy that did not finish");
  });

  it("holds a deploy lease on each app host while it runs, and refuses a host another deploy holds", async () => {
    const w = world(["app"]);
    let leaseDuringGate = false;
    const gate = w.ports.healthGate;
    w.ports.healthGate = async (...args) => {
      leaseDuringGate = Boolean(w.fake.container("app", "pxlfox-app-deploy-lease"));
      return gate(...args);
    };
    await runDeployment(createFakeJob(), planFor(["app"]), want("v2"), newEvidence(), w.ports);
    expect(leaseDuringGate).toBe(true);
    expect(w.fake.container("app", "pxlfox-app-deploy-lease")).toBeUndefined();

    w.fake.addContainer("app", {
      name: "pxlfox-app-deploy-lease",
      image: `${REPO}:v1`,
      running: false,
      labels: {
        "com.pixelfox.lease.panel": "other",
        "com.pixelfox.lease.holder": "ci@other",
        "com.pixelfox.lease.since": new Date().toISOString(),
        "com.pixelfox.lease.job": "j9",
      },
    });
    await expect(runDeployment(createFakeJob(), planFor(["app"]), want("v3"), newEvidence(), w.ports)).rejects.toThrow(
      /Another deploy holds app: ci@other since .* \(job j9, another panel\)/,
    );
    expect(w.fake.container("app", "pxlfox-app")?.labels[LABELS.tag]).toBe("v2");
  });

  it("a cancel during the gate removes the candidate", async () => {
    const w = world(["app"]);
    const job = createFakeJob();
    w.ports.healthGate = async () => {
      await job.cancel();
      return { healthy: false, probes: [] };
    };
    await expect(runDeployment(job, planFor(["app"]), want("v2"), newEvidence(), w.ports)).rejects.toThrow(/Cancelled/);
    expect(w.fake.containers("app").map((c) => c.name)).toEqual(["pxlfox-app"]);
  });

  it("a first deploy on a host without an app container builds it from the managed env and writes the host's .env", async () => {
    const w = world([]);
    w.fake.addImage("app", "busybox:latest");
    const plan = planFor(["app"], { env: { version: 3, entries: ["APP_HOST=127.0.0.1", "DB_HOST=db"] } });
    const job = createFakeJob();
    await runDeployment(job, plan, want("v2"), newEvidence(), w.ports);
    const live = w.fake.container("app", "pxlfox-app")!;
    expect(live.env).toEqual(["APP_HOST=127.0.0.1", "DB_HOST=db", "APP_PORT=4000"]);
    expect(live.labels[LABELS.envVersion]).toBe("3");
    expect(w.events).toContain("app: write .env");
    expect(job.steps.find((s) => s.key === "drain:app")).toMatchObject({ status: "succeeded" });
    expect(job.logs.map((l) => l.text)).toContain("first deploy: no old container to drain");
  });

  it("reads each host's .env before writing it: an untouched older one is replaced, a hand edit is left as it is and shown", async () => {
    const w = world(["app", "app2"]);
    const v1 = { version: 1, entries: ["DB_HOST=db", "DB_PASSWORD=old-password-1234567890"] };
    w.versions.set(1, [
      ["DB_HOST", "db"],
      ["DB_PASSWORD", "old-password-1234567890"],
    ]);
    w.envFiles.set("app", hostEnvFileText(v1, new Date()));
    // On app2 someone changed DB_HOST by hand and added a key after the panel wrote version 1.
    w.envFiles.set("app2", hostEnvFileText(v1, new Date()).replace("DB_HOST=db", "DB_HOST=10.0.0.9") + "HAND_MADE=1\n");
    const edited = w.envFiles.get("app2");
    const plan = planFor(["app", "app2"], { env: { version: 2, entries: ["DB_HOST=db", "DB_PASSWORD=new-password-1234567890"] } });
    const job = createFakeJob();
    await runDeployment(job, plan, want("v2"), newEvidence(), w.ports);
    expect(w.envFiles.get("app")).toContain("app environment version 2");
    expect(w.envFiles.get("app2")).toBe(edited);
    const warn = job.logs.find((l) => l.level === "warn" && l.text.includes("app2"))!.text;
    expect(warn).toContain("edited on the host after the panel wrote version 1");
    expect(warn).toContain("DB_HOST changed (db → 10.0.0.9), HAND_MADE added");
    expect(job.steps.find((s) => s.key === "env-file")).toMatchObject({ status: "succeeded", detail: expect.stringContaining("app2") });
    // Deployed again, the file already holding version 2 is not rewritten.
    w.events.length = 0;
    await runDeployment(createFakeJob(), plan, want("v3"), newEvidence(), w.ports);
    expect(w.events.filter((e) => e.endsWith("write .env"))).toEqual([]);
  });
});
