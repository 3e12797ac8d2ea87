import type { DockerClient } from "@/server/adapters/docker";
import { AppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import { rememberContainerEnvSecrets } from "@/server/services/secrets/container-env-secrets";
import { assertPortFree, createCandidate, findLive, listAppContainers, type AppContainer } from "./app-containers";
import type { ProbeResult } from "./health-gate";
import type { AppHostPlan, DeployPlan } from "./plan";
import type { DeployPorts } from "./ports";
import { pullImage } from "./pull-image";
import { quietRetained, setRestartPolicy } from "./retained";

export interface HostEvidence {
  host: string;
  previous: { name: string; tag: string | null; port: number | null } | null;
  candidate?: { name: string; port: number; id: string; reused: boolean };
  probes: ProbeResult[];
  failedLogs?: string[];
  digest?: string | null;
}

export interface RollTarget {
  image: string;
  tag: string;
  deploymentId: string;
  /** Rollback: start this retained container instead of creating a new one, when its port is free. */
  reuseTag?: string;
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");

/** The name a container gets when it is kept for rollback: `<name>-prev-<tag>-<time>`. */
const retainedName = (containerName: string, tag: string | null) =>
  `${containerName}-prev-${(tag ?? "unknown").replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 40)}-${stamp()}`;

function renameContainer(docker: DockerClient, id: string, name: string, what: string) {
  return docker.renameContainer(id, name, { action: `rename ${what} to ${name}` });
}

/** Step keys of one app host, in order. */
export function hostStepKeys(host: string) {
  return {
    pull: `pull:${host}`,
    start: `start:${host}`,
    gate: `gate:${host}`,
    switch: `switch:${host}`,
    drain: `drain:${host}`,
    retire: `retire:${host}`,
  };
}

/** Removes leftovers of an interrupted deploy (`-next-` containers that never went live). */
async function removeStaleCandidates(docker: DockerClient, app: AppHostPlan, containers: AppContainer[], job: JobContext) {
  for (const c of containers.filter((x) => x.name.startsWith(`${app.containerName}-next-`))) {
    job.log(`removing ${c.name} left by an earlier deploy that did not finish`, "warn");
    await docker.removeContainer(c.id, { force: true }).catch(() => undefined);
  }
}

/**
 * No running app container on the host: a first deploy. It needs the app's env saved in the panel
 * (there is no container to take it from). A stopped container holding the live name is moved aside
 * as a retained one, so the new container can take the name.
 */
async function prepareFirstDeploy(docker: DockerClient, plan: DeployPlan, app: AppHostPlan, containers: AppContainer[], job: JobContext) {
  if (!plan.env) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `No running ${app.containerName} on ${app.target.name} to take the configuration (env, volumes) from, and no app environment saved in the panel: save it under Stack → App environment (or import it), then deploy; or start ${app.containerName} once with its compose file.`,
      { host: app.target.name },
    );
  }
  job.log(
    `first deploy on ${app.target.name}: no ${app.containerName} runs there; the new container gets env version ${plan.env.version} from the panel, the prod compose's volumes and restart policy`,
  );
  const stopped = containers.find((c) => c.name === app.containerName && !c.running);
  if (stopped) {
    const aside = retainedName(app.containerName, stopped.tag);
    job.log(`${stopped.name} (${stopped.tag ?? "?"}) exists but is stopped: keeping it as ${aside}`, "warn");
    await setRestartPolicy(docker, stopped, "no");
    await renameContainer(docker, stopped.id, aside, stopped.name);
    stopped.name = aside;
  }
}

async function startCandidate(
  docker: DockerClient,
  plan: DeployPlan,
  app: AppHostPlan,
  want: RollTarget,
  job: JobContext,
  ev: HostEvidence,
) {
  const all = await listAppContainers(docker, app.containerName);
  await removeStaleCandidates(docker, app, all, job);
  const containers = all.filter((c) => !c.name.startsWith(`${app.containerName}-next-`));
  await quietRetained(docker, app.containerName, containers, job);
  const live = findLive(containers, app.containerName);
  if (!live) await prepareFirstDeploy(docker, plan, app, containers, job);
  ev.previous = live ? { name: live.name, tag: live.tag, port: live.port } : null;
  const { bluePort, greenPort } = plan.settings;
  const port = live?.port === bluePort ? greenPort : bluePort;
  assertPortFree(containers, port, app.target);
  const name = `${app.containerName}-next-${want.deploymentId.slice(-8)}`;
  const retained = want.reuseTag
    ? containers.find((c) => !c.running && c.name.startsWith(`${app.containerName}-prev-`) && c.tag === want.reuseTag && c.port === port)
    : undefined;
  let containerId: string;
  if (retained) {
    job.log(`starting retained container ${retained.name} (${want.reuseTag}) on ${app.dialHost}:${port}`);
    containerId = retained.id;
    await renameContainer(docker, containerId, name, retained.name);
    await setRestartPolicy(docker, { id: retained.id, name }, "always");
  } else {
    const envFrom = plan.env ? `env version ${plan.env.version} from the panel` : `env of ${live?.name}`;
    const volumesFrom = live ? `volumes of ${live.name}` : "the prod compose's volumes, host network";
    job.log(`creating ${name} from ${want.image} on ${app.dialHost}:${port} (${envFrom}, ${volumesFrom})`);
    containerId = await createCandidate(docker, live, {
      image: want.image,
      tag: want.tag,
      port,
      name,
      deploymentId: want.deploymentId,
      stackName: plan.stack.name,
      env: plan.env,
      publishOn: app.dialHost,
    });
  }
  // Before it starts: whatever the new container prints (its log, its health answers) is redacted of its env's secrets.
  await rememberContainerEnvSecrets(docker, containerId, plan.stack.id, (secret) => job.addSecret(secret));
  await docker.startContainer(containerId, { action: `start ${name}` });
  ev.candidate = { name, port, id: containerId, reused: Boolean(retained) };
  // A bridge-networked app publishes where the proxy dials; a host-network one listens on the host itself.
  const isBridge = (live?.networkMode ?? retained?.networkMode ?? "host") !== "host";
  return { live, containerId, port, name, probeHost: isBridge ? app.dialHost : "127.0.0.1" };
}

/**
 * Moves one app host to the new version: pull → start beside the old one → health gate. The proxy
 * switch, drain and retirement are done by the caller (they involve every host's upstream).
 * A failed gate removes the candidate and leaves the old container serving.
 */
export async function prepareHost(
  plan: DeployPlan,
  app: AppHostPlan,
  want: RollTarget,
  job: JobContext,
  ev: HostEvidence,
  ports: DeployPorts,
) {
  const keys = hostStepKeys(app.target.name);
  const docker = ports.docker(app.target);
  await job.step(keys.pull, async () => {
    if (want.reuseTag) {
      const has = await docker
        .findImage(want.image)
        .then(Boolean)
        .catch(() => false);
      if (has) return job.setStepProgress(keys.pull, 1, "image present on the host");
    }
    job.log(`pulling ${want.image} on ${app.target.name}`);
    await pullImage(docker, want.image, {
      auth: plan.auth,
      signal: job.signal,
      onProgress: (p) => job.setStepProgress(keys.pull, p.fraction, p.detail),
    });
    const info = await docker.findImage(want.image).catch(() => null);
    ev.digest = info?.RepoDigests?.[0]?.split("@")[1] ?? null;
    job.log(`pulled ${want.image}${ev.digest ? ` (${ev.digest})` : ""}`);
  });
  const started = await job.step(keys.start, () => startCandidate(docker, plan, app, want, job, ev));
  const removeCandidate = () => docker.removeContainer(started.containerId, { force: true }).catch(() => undefined);
  const unregister = job.onCancel(removeCandidate);
  try {
    await job.step(keys.gate, async () => {
      const s = plan.settings;
      const gate = await ports.healthGate(app.target, started.port, {
        path: plan.stack.healthPath,
        startPeriodMs: s.healthStartPeriodMs,
        attempts: s.healthAttempts,
        intervalMs: s.healthIntervalMs,
        timeoutMs: s.healthTimeoutMs,
        signal: job.signal,
        host: started.probeHost,
        onProbe: (p) => {
          ev.probes.push(p);
          job.setStepProgress(
            keys.gate,
            p.attempt / s.healthAttempts,
            `probe ${p.attempt}/${s.healthAttempts}: ${p.ok ? `healthy in ${p.ms} ms` : p.error}`,
          );
          job.log(
            `probe ${p.attempt}: ${p.ok ? `healthy (${p.status}, ${p.ms} ms, version ${p.version ?? "?"})` : p.error}`,
            p.ok ? "info" : "warn",
          );
        },
      });
      job.throwIfCancelled();
      if (!gate.healthy) {
        ev.failedLogs = await docker.readLogTail(started.containerId, 40).catch(() => []);
        for (const line of ev.failedLogs) job.log(`[${started.name}] ${line}`, "stderr");
        await removeCandidate();
        const last = gate.probes.at(-1);
        throw new AppError(
          "REMOTE_FAILED",
          `Health gate failed on ${app.target.name}: ${started.name} did not answer ${plan.stack.healthPath} healthy after ${gate.probes.length} probes (last: ${last?.error ?? "unknown"}). It was removed; ${started.live ? `${started.live.name} (${started.live.tag}) keeps serving` : "this was the host's first deploy, so nothing serves there yet"}.`,
          { host: app.target.name },
        );
      }
    });
  } catch (err) {
    await removeCandidate();
    throw err;
  } finally {
    unregister();
  }
  return { ...started, docker, removeCandidate };
}

/** Stops the old container (after the drain), renames both, and prunes retained ones beyond the limit. */
export async function retireOld(plan: DeployPlan, app: AppHostPlan, prepared: Awaited<ReturnType<typeof prepareHost>>, job: JobContext) {
  const { docker, live, containerId } = prepared;
  if (!live) {
    await renameContainer(docker, containerId, app.containerName, prepared.name);
    job.log(`${app.containerName} is now ${prepared.name} (first deploy: no old container to stop)`);
    return pruneRetained(plan, app, docker, job);
  }
  job.log(`stopping ${live.name} (${live.tag}) with a ${plan.settings.stopTimeoutSec} s grace period`);
  await docker.stopContainer(live.id, { t: plan.settings.stopTimeoutSec }, { action: `stop ${live.name}` });
  await setRestartPolicy(docker, live, "no");
  const prevName = retainedName(app.containerName, live.tag);
  await renameContainer(docker, live.id, prevName, live.name);
  await renameContainer(docker, containerId, app.containerName, prepared.name);
  job.log(`${app.containerName} is now ${prepared.name}; kept ${prevName} for rollback`);
  await pruneRetained(plan, app, docker, job);
}

/** Removes retained (`-prev-`) containers beyond the stack's limit, oldest first. */
async function pruneRetained(plan: DeployPlan, app: AppHostPlan, docker: DockerClient, job: JobContext) {
  const all = await listAppContainers(docker, app.containerName);
  const retained = all.filter((c) => !c.running && c.name.startsWith(`${app.containerName}-prev-`));
  for (const extra of retained.slice(plan.settings.keepPrevious)) {
    job.log(`removing ${extra.name} (keeping the last ${plan.settings.keepPrevious})`);
    await docker.removeContainer(extra.id, { force: true }).catch(() => undefined);
  }
}
