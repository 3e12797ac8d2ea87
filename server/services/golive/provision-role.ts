import type { DockerClient, DockerConnector, RegistryAuth } from "@/server/adapters/docker";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { AppError, isAppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import { pullImage } from "@/server/services/deploy/pull-image";
import { parseListeningSockets } from "@/server/services/security-audit/parsers/parse-listening-sockets";
import { isSecretKey } from "@/server/services/env/env-format";
import { makeDirs, removeMade, writeHostFile, type HostExec } from "./host-files";
import { waitUntilReady, type ReadinessPorts } from "./readiness";
import { describePorts, GOLIVE_LABELS, toCreateSpec, type RoleSpec } from "./role-spec";
import { ensureReloadSafety, undoReloadSafety, type ReloadSafetyChange } from "./reload-safety";

export interface ProvisionPorts {
  docker: DockerConnector;
  exec: HostExec;
  readiness: ReadinessPorts;
}

export interface ProvisionInput {
  target: SshTarget;
  spec: RoleSpec;
  stack: string;
  auth?: RegistryAuth;
  listenHost: string;
  siteHost: string;
  healthPath: string;
  readyTimeoutMs: number;
  /** Step keys of this role in the job (declared up front by the caller). */
  steps: { prepare: string; pull: string; start: string; ready: string };
}

export interface ProvisionResult {
  /** "created": the panel made it now; "already": it was there (provisioned earlier) and is ready. */
  outcome: "created" | "already";
  readiness: string;
}

// Only values of secret keys (passwords, tokens): redacting the database name or an address would hide what happened.
const secretsOf = (spec: RoleSpec) =>
  Object.entries(spec.env)
    .filter(([k, v]) => isSecretKey(k) && v.length >= 6)
    .map(([, v]) => v);

/**
 * Brings one role up on one host as the plan's template describes it, corrected: directories, files,
 * image, container, readiness. Refuses before any change when the host cannot take it (a container of
 * that name the panel did not make, a port already taken). Idempotent: a role it provisioned earlier is
 * only checked (and started if stopped). A failure removes what this run made and says what it left.
 */
export async function provisionRole(job: JobContext, ports: ProvisionPorts, input: ProvisionInput): Promise<ProvisionResult> {
  const { target, spec } = input;
  const docker = ports.docker(target);
  for (const s of secretsOf(spec)) job.addSecret(s);
  const existing = await docker.inspectContainer(spec.container).catch((err: unknown) => {
    if (isAppError(err) && err.code === "NOT_FOUND") return null;
    throw err;
  });
  if (existing) return resumeExisting(job, ports, input, docker, existing);
  const made: Made = { files: [], dirs: [], container: null, reloadSafety: null };
  try {
    await job.step(input.steps.prepare, async () => {
      await refuseTakenPorts(ports.exec, input);
      job.log(`provisioning ${spec.role} on ${target.name} as ${spec.container} (${spec.image}); corrections to the plan's template:`);
      for (const c of spec.corrections) job.log(`  - ${c}`);
      await makeDirs(ports.exec, target, spec.dirs, made.dirs);
      for (const d of spec.dirs) job.log(`${made.dirs.includes(d.path) ? "created" : "kept existing"} ${d.path} (mode ${d.mode})`);
      for (const f of spec.files) {
        const existed = await writeHostFile(ports.exec, target, f, secretsOf(spec));
        if (!existed) made.files.push(f.path);
        job.log(`wrote ${f.path} (mode ${f.mode}${existed ? `; the previous one kept as ${f.path}.prev` : ""})`);
      }
      if (spec.reloadSafety) made.reloadSafety = await applyReloadSafety(job, ports, target);
    });
    await job.step(input.steps.pull, async () => {
      if (await docker.findImage(spec.image).catch(() => null))
        return job.setStepProgress(input.steps.pull, 1, "image present on the host");
      job.log(`pulling ${spec.image} on ${target.name}`);
      await pullImage(docker, spec.image, {
        auth: input.auth,
        signal: job.signal,
        onProgress: (p) => job.setStepProgress(input.steps.pull, p.fraction, p.detail),
      });
    });
    await job.step(input.steps.start, async () => {
      made.container = await docker.createContainer(toCreateSpec(spec), { action: `create ${spec.container}` });
      await docker.startContainer(made.container, { action: `start ${spec.container}` });
      job.log(`started ${spec.container} on ${target.name}: ports ${describePorts(spec.ports)}, ${spec.networkMode} network`);
    });
    const readiness = await waitReady(job, ports, input);
    return { outcome: "created", readiness };
  } catch (err) {
    const left = await undo(ports, docker, input, made);
    job.log(
      left.length
        ? `the ${spec.role} on ${target.name} was not brought up; removed what this run made, except: ${left.join(", ")}`
        : `the ${spec.role} on ${target.name} was not brought up; everything this run made was removed: the host is as it was`,
      "warn",
    );
    throw err;
  }
}

async function resumeExisting(
  job: JobContext,
  ports: ProvisionPorts,
  input: ProvisionInput,
  docker: DockerClient,
  info: Awaited<ReturnType<DockerClient["inspectContainer"]>>,
): Promise<ProvisionResult> {
  const { spec, target } = input;
  const labels = info.Config.Labels ?? {};
  if (labels[GOLIVE_LABELS.managed] !== "1" || labels[GOLIVE_LABELS.stack] !== input.stack) {
    throw new AppError(
      "CONFLICT",
      `${target.name} already has a container named ${spec.container} (${info.Config.Image}) that the panel did not provision for ${input.stack}: nothing was changed. Adopt the stack instead, or remove that container first.`,
      { host: target.name, data: { field: "hostId", container: spec.container } },
    );
  }
  job.skipStep(input.steps.prepare, `${spec.container} was provisioned earlier: its files are left as they are`);
  if (spec.reloadSafety) await applyReloadSafety(job, ports, target);
  job.skipStep(input.steps.pull, "image already on the host");
  await job.step(input.steps.start, async () => {
    if (info.State.Running) return job.log(`${spec.container} on ${target.name} already runs (provisioned earlier)`);
    await docker.startContainer(info.Id, { action: `start ${spec.container}` });
    job.log(`started ${spec.container} on ${target.name} again`);
  });
  return { outcome: "already", readiness: await waitReady(job, ports, input) };
}

function waitReady(job: JobContext, ports: ProvisionPorts, input: ProvisionInput): Promise<string> {
  return job.step(input.steps.ready, async () => {
    const proof = await waitUntilReady(ports.readiness, {
      target: input.target,
      spec: input.spec,
      listenHost: input.listenHost,
      siteHost: input.siteHost,
      healthPath: input.healthPath,
      timeoutMs: input.readyTimeoutMs,
      signal: job.signal,
      onAttempt: (d) => job.setStepProgress(input.steps.ready, 0.5, d),
    });
    job.log(`${input.spec.role} on ${input.target.name} is ready: ${proof}`);
    return proof;
  });
}

/** Security/robustness: a port another process holds would make the new container fail half-way. */
async function refuseTakenPorts(exec: HostExec, input: ProvisionInput): Promise<void> {
  const wanted = input.spec.networkMode === "host" ? proxyPorts(input.spec) : input.spec.ports.map((p) => p.hostPort);
  if (!wanted.length) return;
  const r = await exec(input.target, ["ss", "-ltnpH"], { throwOnNonZero: false, action: "list listening ports" });
  const parsed = parseListeningSockets(r.stdout);
  // ss unreadable (not installed): the container's start reports a taken port itself.
  if (!parsed.readable) return;
  const taken = parsed.sockets.filter((s) => wanted.includes(s.port));
  if (taken.length) {
    const who = taken
      .map((s) => `${s.address}:${s.port}${s.processes !== "unknown" && s.processes[0] ? ` (${s.processes[0].name})` : ""}`)
      .join(", ");
    throw new AppError(
      "CONFLICT",
      `Port${taken.length > 1 ? "s" : ""} ${[...new Set(taken.map((s) => s.port))].join(", ")} on ${input.target.name} already in use: ${who}. Nothing was changed: stop what listens there, or place the ${input.spec.role} on another host.`,
      { host: input.target.name, data: { field: "hostId", ports: taken.map((s) => s.port) } },
    );
  }
}

const proxyPorts = (spec: RoleSpec) => (spec.role === "proxy" ? [80, 443] : []);

interface Made {
  files: string[];
  dirs: string[];
  container: string | null;
  reloadSafety: ReloadSafetyChange | null;
}

/** Sets the proxy host's kernel for lossless Caddy reloads; a host where it cannot be set goes on, warned. */
async function applyReloadSafety(job: JobContext, ports: ProvisionPorts, target: SshTarget): Promise<ReloadSafetyChange> {
  const change = await ensureReloadSafety(ports.exec, target);
  job.log(change.message, change.ok ? "info" : "warn");
  return change;
}

async function undo(ports: ProvisionPorts, docker: DockerClient, input: ProvisionInput, made: Made) {
  const left: string[] = [];
  if (made.reloadSafety) left.push(...(await undoReloadSafety(ports.exec, input.target, made.reloadSafety)));
  if (made.container) {
    await docker.removeContainer(made.container, { force: true }).catch(() => left.push(`container ${input.spec.container}`));
  }
  left.push(...(await removeMade(ports.exec, input.target, made).catch(() => [...made.files, ...made.dirs])));
  return left;
}
