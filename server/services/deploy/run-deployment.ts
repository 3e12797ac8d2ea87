import { HOST_ENV_FILE } from "@/server/services/env/host-env-file";
import { describeChanges, judgeHostEnvText, type HostEnvState } from "@/server/services/env/host-env-drift";
import { AppError, isAppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import { findLive, listAppContainers } from "./app-containers";
import { acquireHostLeases } from "./host-lease";
import type { SmokeStepResult } from "@/server/services/smoke/types";
import type { DeployPlan } from "./plan";
import type { DeployPorts } from "./ports";
import { liveUpstreamsOf } from "@/server/services/proxy/proxy-driver";
import { hostStepKeys, prepareHost, retireOld, type HostEvidence, type RollTarget } from "./roll-host";

export interface DeployEvidence {
  hosts: HostEvidence[];
  upstreams?: string[];
  smoke?: SmokeStepResult[];
  digest?: string | null;
}

/** The job's steps for a plan, declared up front so the page shows the whole road. */
export function deploySteps(plan: DeployPlan) {
  const steps: { key: string; label: string; weight?: number }[] = [];
  for (const app of plan.apps) {
    const k = hostStepKeys(app.target.name);
    const on = plan.apps.length > 1 ? ` on ${app.target.name}` : "";
    steps.push(
      { key: k.pull, label: `Pull image${on}`, weight: 3 },
      { key: k.start, label: `Start new container${on}` },
      { key: k.gate, label: `Health gate${on}`, weight: 2 },
      { key: k.switch, label: `Switch proxy${on}` },
      { key: k.drain, label: `Drain old container${on}` },
      { key: k.retire, label: `Stop old container${on}` },
    );
  }
  steps.push({ key: ENV_FILE_STEP, label: `Write ${HOST_ENV_FILE} on the app hosts` });
  steps.push({ key: "smoke", label: "Smoke checks through the proxy" });
  return steps;
}

async function currentDials(plan: DeployPlan, ports: DeployPorts): Promise<Map<string, string>> {
  const dials = new Map<string, string>();
  for (const app of plan.apps) {
    const live = findLive(await listAppContainers(ports.docker(app.target), app.containerName), app.containerName);
    if (live?.port) dials.set(app.target.name, `${app.dialHost}:${live.port}`);
  }
  return dials;
}

/**
 * Rolls the app hosts one at a time behind the same health gate, switching the proxy's upstreams to
 * every healthy app container, then runs smoke checks through the proxy. Evidence is filled in as it
 * happens so a failure records what was seen.
 */
export async function runDeployment(
  job: JobContext,
  plan: DeployPlan,
  want: RollTarget,
  evidence: DeployEvidence,
  ports: DeployPorts,
  holder = "panel",
): Promise<DeployEvidence> {
  const releaseLeases = await acquireHostLeases(plan.apps, job, holder, ports.docker);
  try {
    return await rollAll(job, plan, want, evidence, ports);
  } finally {
    await releaseLeases();
  }
}

async function rollAll(
  job: JobContext,
  plan: DeployPlan,
  want: RollTarget,
  evidence: DeployEvidence,
  ports: DeployPorts,
): Promise<DeployEvidence> {
  const dials = await currentDials(plan, ports);
  for (const app of plan.apps) {
    const keys = hostStepKeys(app.target.name);
    const ev: HostEvidence = { host: app.target.name, previous: null, probes: [] };
    evidence.hosts.push(ev);
    const prepared = await prepareHost(plan, app, want, job, ev, ports);
    evidence.digest ??= ev.digest;
    dials.set(app.target.name, `${app.dialHost}:${prepared.port}`);
    await job.step(keys.switch, async () => {
      try {
        const upstreams = await ports.switchUpstreams(plan, [...dials.values()], (m) => job.log(m, "warn"));
        evidence.upstreams = upstreams;
        job.log(`proxy on ${plan.proxy.name} now sends traffic to ${upstreams.join(", ")}`);
      } catch (err) {
        // Live already points at the new container when only a follow-up step failed: keep it.
        if (!liveUpstreamsOf(err)) await prepared.removeCandidate();
        throw err;
      }
    });
    await job.step(keys.drain, async () => {
      if (!prepared.live) return job.log("first deploy: no old container to drain");
      job.log(`draining ${prepared.live.name} for ${plan.settings.drainMs} ms`);
      await ports.sleep(plan.settings.drainMs);
    });
    await job.step(keys.retire, () => retireOld(plan, app, prepared, job));
  }
  await writeEnvFiles(job, plan, evidence, ports);
  await job.step("smoke", async () => {
    try {
      evidence.smoke = await ports.smoke(plan.stack, job);
    } catch (err) {
      if (!isAppError(err)) throw err;
      throw new AppError(
        "REMOTE_FAILED",
        `${err.message} The new version passed its health gate and is live: check the proxy and the app, or roll back.`,
        {
          data: err.data,
          cause: err,
        },
      );
    }
  });
  return evidence;
}

const ENV_FILE_STEP = "env-file";

/**
 * Every app host's .env mirrors the env its container now runs, so a manual compose run or the plan's
 * deploy script does not start the app with an older one. Only for env managed in the panel, and not
 * when a retained container was started again (it keeps the env it was created with).
 */
async function writeEnvFiles(job: JobContext, plan: DeployPlan, evidence: DeployEvidence, ports: DeployPorts): Promise<void> {
  const env = plan.env;
  if (!env) return job.skipStep(ENV_FILE_STEP, "The app's environment is not managed in the panel: each host's .env is left as it is");
  if (evidence.hosts.some((h) => h.candidate?.reused)) {
    return job.skipStep(
      ENV_FILE_STEP,
      "A retained container was started again with the env it was created with: each host's .env is left as it is",
    );
  }
  await job.step(ENV_FILE_STEP, async () => {
    const left: string[] = [];
    for (const app of plan.apps) {
      const state = await hostFileState(plan, app.target, env, ports);
      if (state.state === "edited") {
        left.push(app.target.name);
        job.log(
          `left ${HOST_ENV_FILE} on ${app.target.name} as it is: ${state.version === null ? "the panel did not write it" : `it was edited on the host after the panel wrote version ${state.version}`} (${describeChanges(state.changes) || state.problems.slice(0, 2).join("; ")}). Review it in Stack → App environment → Files on the app hosts: keep the host's edits as a new version, or overwrite it with version ${env.version}.`,
          "warn",
        );
        continue;
      }
      if (state.state === "current") {
        job.log(`${HOST_ENV_FILE} on ${app.target.name} already holds env version ${env.version}`);
        continue;
      }
      try {
        await ports.writeEnvFile(app.target, env);
      } catch (err) {
        const why = isAppError(err) ? err.message : "see the panel's log";
        throw new AppError(
          "REMOTE_FAILED",
          `The new version is live, but ${HOST_ENV_FILE} on ${app.target.name} still holds an older environment: ${why} Fix the host, then deploy again (or write the file by hand from env version ${env.version}).`,
          { host: app.target.name, cause: err },
        );
      }
      job.log(
        `wrote ${HOST_ENV_FILE} on ${app.target.name} (env version ${env.version}, mode 0600; ${state.state === "absent" ? "there was none before" : `it held version ${state.version}, kept as ${HOST_ENV_FILE}.prev`})`,
      );
    }
    if (left.length)
      job.setStepProgress(ENV_FILE_STEP, 1, `Edited by hand, left as it is on ${left.join(", ")}: review it in Stack → App environment`);
  });
}

/** Reads the host's file first: a hand edit is shown and kept, never silently overwritten. */
async function hostFileState(
  plan: DeployPlan,
  target: DeployPlan["apps"][number]["target"],
  env: NonNullable<DeployPlan["env"]>,
  ports: DeployPorts,
): Promise<HostEnvState> {
  let text: string | null;
  try {
    text = await ports.readEnvFile(target);
  } catch (err) {
    const why = isAppError(err) ? err.message : "see the panel's log";
    throw new AppError("REMOTE_FAILED", `The new version is live, but ${HOST_ENV_FILE} on ${target.name} was not written: ${why}`, {
      host: target.name,
      cause: err,
    });
  }
  return judgeHostEnvText(text, env, (v) => ports.envVersionEntries(plan.stack.id, v));
}

export function errorMessage(err: unknown): string {
  return isAppError(err) ? err.message : "Internal error: see the panel's log";
}
