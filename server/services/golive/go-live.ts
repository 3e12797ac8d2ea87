import { randomUUID } from "node:crypto";
import type { RegistryAuth } from "@/server/adapters/docker";
import { createSshDocker } from "@/server/adapters/docker";
import { execCommand } from "@/server/adapters/ssh/exec";
import { db } from "@/server/db";
import { parseGoLiveSettings } from "@/server/domain/golive";
import { startLockedJob } from "@/server/jobs/stack-lock";
import type { JobContext } from "@/server/jobs/types";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getRegistryCredentials, getStackRow } from "@/server/services/inventory/stacks";
import { runMigrationsInJob } from "@/server/services/migrations/migrations";
import { createReadinessPorts } from "./readiness";
import { provisionRole, type ProvisionPorts } from "./provision-role";
import { siteHostOf, NGINX_PROVISIONED } from "./proxy-config";
import { buildAppSpec, buildCacheSpec, buildDbSpec, buildProxySpec, buildStorageSpec, type StackLayout } from "./role-specs";
import type { RoleSpec } from "./role-spec";
import { buildLayout, ensureAppEnv, readPlacement, type Placement, type ServiceRow } from "./stack-layout";
import { runGoLiveChecks } from "./go-live-checks";
import { isSecretKey } from "@/server/services/env/env-format";
import { runPreflightForPlacement } from "./preflight";

export interface GoLiveInput {
  stack: string;
  /** The app image tag to go live with. */
  tag: string;
}

interface RoleRun {
  key: string;
  label: string;
  service: ServiceRow;
  spec: (l: StackLayout) => RoleSpec;
  listenHost: (l: StackLayout) => string;
}

const registryHostOf = (image: string) => {
  const first = image.split("/")[0] ?? "";
  return /[.:]/.test(first) || first === "localhost" ? first : "docker.io";
};

/** The roles in the plan's order: db → cache → app (first start) → [migrate] → storage → proxy. */
function roleRuns(p: Placement): RoleRun[] {
  const runs: RoleRun[] = [
    { key: `db@${p.db.host.name}`, label: `db on ${p.db.host.name}`, service: p.db, spec: buildDbSpec, listenHost: (l) => l.hosts.db },
    {
      key: `cache@${p.cache.host.name}`,
      label: `cache on ${p.cache.host.name}`,
      service: p.cache,
      spec: buildCacheSpec,
      listenHost: (l) => l.hosts.cache,
    },
    ...p.apps.map((a, i) => ({
      key: `app@${a.host.name}`,
      label: `app on ${a.host.name}`,
      service: a,
      spec: (l: StackLayout) => buildAppSpec(l, i),
      listenHost: (l: StackLayout) => buildAppSpec(l, i).ports[0]!.hostIp,
    })),
    ...p.storage.map((s, i) => ({
      key: `storage@${s.host.name}`,
      label: `storage node on ${s.host.name}`,
      service: s,
      spec: (l: StackLayout) => buildStorageSpec(l, i, s.host.name),
      listenHost: (l: StackLayout) => l.hosts.storage[i]!,
    })),
  ];
  return runs;
}

const proxyRun = (p: Placement): RoleRun => ({
  key: `proxy@${p.proxy.host.name}`,
  label: `proxy on ${p.proxy.host.name}`,
  service: p.proxy,
  spec: (l) =>
    buildProxySpec(
      l,
      p.apps.map((a) => (a.hostId === p.proxy.hostId ? "127.0.0.1:4000" : `${l.hosts.app[p.apps.indexOf(a)]}:4000`)),
    ),
  listenHost: () => "127.0.0.1",
});

const roleSteps = (r: RoleRun) => [
  { key: `${r.key}:prepare`, label: `Prepare ${r.label}` },
  { key: `${r.key}:pull`, label: `Pull the ${r.key.split("@")[0]} image on ${r.service.host.name}`, weight: 2 },
  { key: `${r.key}:start`, label: `Start ${r.label}` },
  { key: `${r.key}:ready`, label: `Wait until the ${r.label} is ready`, weight: 2 },
];

/**
 * "Go live": the plan's whole order on the stack's hosts, as one job: preflight → db → cache → app's
 * first start → migrate up → storage nodes → proxy → the plan's smoke tests and the storage pool check.
 * Resumable: a role provisioned by an earlier run is checked, not made again, so running it again
 * after a failure continues from the step that failed. One job per stack at a time (the stack lock).
 */
export async function startGoLive(input: GoLiveInput, actor: Actor, ports: ProvisionPorts = defaultPorts()): Promise<{ jobId: string }> {
  const stack = await getStackRow(input.stack);
  const placement = await readPlacement(stack, "going live");
  const runs = roleRuns(placement);
  const proxy = proxyRun(placement);
  const steps = [
    { key: "preflight", label: "Preflight of every host" },
    { key: "env", label: "The app's environment" },
    ...runs.filter((r) => !r.key.startsWith("storage")).flatMap(roleSteps),
    { key: "migrate", label: "Migrate up" },
    ...runs.filter((r) => r.key.startsWith("storage")).flatMap(roleSteps),
    ...roleSteps(proxy),
    { key: "record", label: "Record the deployment" },
    { key: "smoke", label: "Smoke tests through the proxy" },
    { key: "storage-pool", label: "Storage pool defaults" },
  ];
  const { jobId } = await startLockedJob(
    { kind: "go-live", title: `Go live: ${stack.name} with ${input.tag}`, stackId: stack.id, actor, steps, purpose: "go-live" },
    (job) => runGoLive(job, placement, input, actor, ports, runs, proxy),
  );
  await recordAuditEvent(actor, { action: "golive.start", target: stack.name, details: { tag: input.tag, jobId } });
  return { jobId };
}

function defaultPorts(): ProvisionPorts {
  const docker = createSshDocker();
  return { docker, exec: (t, argv, o) => execCommand(t, argv, o), readiness: createReadinessPorts(docker) };
}

async function runGoLive(
  job: JobContext,
  p: Placement,
  input: GoLiveInput,
  actor: Actor,
  ports: ProvisionPorts,
  runs: RoleRun[],
  proxy: RoleRun,
) {
  const started = Date.now();
  try {
    await job.step("preflight", () => runPreflightForPlacement(job, p, ports));
    const env = await job.step("env", async () => {
      const e = await ensureAppEnv(p, actor);
      job.log(e.note);
      return e;
    });
    for (const [k, v] of env.entries) if (isSecretKey(k) && v.length >= 6) job.addSecret(v);
    const layout = await buildLayout(p, env.entries, input.tag);
    const creds = getRegistryCredentials(p.stack);
    const authFor = (image: string): RegistryAuth | undefined =>
      creds && registryHostOf(image) === registryHostOf(p.stack.imageRepository)
        ? { ...creds, serveraddress: registryHostOf(image) }
        : undefined;
    const siteHost = siteHostOf(new URL(p.stack.publicDomain));
    const provision = async (r: RoleRun) => {
      const spec = r.spec(layout);
      const target = p.targets.get(r.service.hostId)!;
      const res = await provisionRole(job, ports, {
        target,
        spec,
        stack: p.stack.name,
        auth: authFor(spec.image),
        listenHost: r.listenHost(layout),
        siteHost,
        healthPath: p.stack.healthPath,
        readyTimeoutMs: spec.role === "db" ? 180_000 : 120_000,
        steps: { prepare: `${r.key}:prepare`, pull: `${r.key}:pull`, start: `${r.key}:start`, ready: `${r.key}:ready` },
      });
      await recordServiceSettings(r.service, spec, r.listenHost(layout));
      job.log(`${r.label}: ${res.outcome === "created" ? "provisioned" : "already provisioned earlier, checked"}`);
    };
    for (const r of runs.filter((x) => !x.key.startsWith("storage"))) await provision(r);
    await job.step("migrate", () => runMigrationsInJob(job, p.stack, { kind: "up" }, { tag: input.tag }));
    for (const r of runs.filter((x) => x.key.startsWith("storage"))) await provision(r);
    await provision(proxy);
    await job.step("record", () => recordGoLiveDeployment(job, p, input, actor, started));
    await runGoLiveChecks(job, p, layout, parseGoLiveSettings(p.stack.goLiveSettings));
    await recordAuditEvent(actor, { action: "golive.succeeded", target: p.stack.name, details: { tag: input.tag, jobId: job.jobId } });
    return { stack: p.stack.name, tag: input.tag, url: p.stack.publicDomain };
  } catch (err) {
    await recordAuditEvent(actor, {
      action: "golive.failed",
      target: p.stack.name,
      ok: false,
      details: { tag: input.tag, jobId: job.jobId, error: err instanceof Error ? err.message : String(err) },
    });
    throw err;
  }
}

/** What the deploy, health checks and tunnels must know of a provisioned role (Service.settings). */
async function recordServiceSettings(service: ServiceRow, spec: RoleSpec, listenHost: string) {
  const prev = JSON.parse(service.settings || "{}") as Record<string, unknown>;
  const next: Record<string, unknown> = { ...prev, provisioned: true, listenAddress: listenHost };
  if (spec.role === "proxy") {
    next.proxy = spec.image.includes("nginx") ? "nginx" : "caddy";
    if (next.proxy === "nginx") Object.assign(next, NGINX_PROVISIONED);
    delete next.listenAddress;
  }
  await db.service.update({ where: { id: service.id }, data: { settings: JSON.stringify(next), containerName: spec.container } });
}

/** The go-live's app start counts as the stack's first successful deployment (rollback and history start from it). */
async function recordGoLiveDeployment(job: JobContext, p: Placement, input: GoLiveInput, actor: Actor, started: number) {
  const existing = await db.deployment.findFirst({ where: { stackId: p.stack.id, status: "succeeded", tag: input.tag } });
  if (existing) return job.log(`deployment of ${input.tag} already recorded`);
  await db.deployment.create({
    data: {
      id: randomUUID().replace(/-/g, ""),
      stackId: p.stack.id,
      jobId: job.jobId,
      kind: "deploy",
      tag: input.tag,
      status: "succeeded",
      actorLabel: actor.label,
      endedAt: new Date(),
      durationMs: Date.now() - started,
      evidence: JSON.stringify({ hosts: [], goLive: true }),
    },
  });
  job.log(`recorded ${input.tag} as the stack's live deployment`);
}
