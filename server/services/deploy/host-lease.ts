import { createHash } from "node:crypto";
import type { DockerClient, DockerConnector } from "@/server/adapters/docker";
import { db } from "@/server/db";
import { getMasterKey } from "@/server/crypto";
import { AppError, isAppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import type { AppHostPlan } from "./plan";

const LEASE_LABELS = {
  panel: "com.pixelfox.lease.panel",
  job: "com.pixelfox.lease.job",
  holder: "com.pixelfox.lease.holder",
  since: "com.pixelfox.lease.since",
} as const;
/** A lease older than this is considered abandoned by a panel that died. */
const STALE_MS = 30 * 60_000;

/** Stable id of this panel's store, so it can recognise (and clean up) its own abandoned leases. */
function panelId(): string {
  return createHash("sha256").update(getMasterKey()).update("panel-id").digest("hex").slice(0, 16);
}

const leaseName = (app: AppHostPlan) => `${app.containerName}-deploy-lease`;

/**
 * Takes a deploy lease on each app host: a created-but-never-started container with a fixed name,
 * which Docker lets exist only once. The stack lock stops two deploys in one panel; the lease stops
 * two panels (or a panel and a restored copy of its store) from rolling the same host at once.
 */
export async function acquireHostLeases(
  apps: AppHostPlan[],
  job: JobContext,
  holder: string,
  dockerFor: DockerConnector,
): Promise<() => Promise<void>> {
  const taken: { docker: DockerClient; name: string }[] = [];
  const release = async () => {
    for (const t of taken) await t.docker.removeContainer(t.name, { force: true }).catch(() => undefined);
  };
  try {
    for (const app of apps) {
      const docker = dockerFor(app.target);
      // Any image on the host will do: the lease container is never started.
      const image = (await docker.listImages())[0]?.Id;
      if (!image)
        throw new AppError(
          "PRECONDITION_FAILED",
          `${app.target.name} has no image at all: start the app there once with its compose file, then deploy`,
          { host: app.target.name },
        );
      await takeLease(docker, app, job, holder, image);
      taken.push({ docker, name: leaseName(app) });
    }
  } catch (err) {
    await release();
    throw err;
  }
  return release;
}

async function takeLease(
  docker: DockerClient,
  app: AppHostPlan,
  job: JobContext,
  holder: string,
  image: string,
  isRetry = false,
): Promise<void> {
  const name = leaseName(app);
  try {
    await docker.createContainer(
      {
        name,
        Image: image,
        Cmd: ["true"],
        HostConfig: { NetworkMode: "none" },
        Labels: {
          [LEASE_LABELS.panel]: panelId(),
          [LEASE_LABELS.job]: job.jobId,
          [LEASE_LABELS.holder]: holder,
          [LEASE_LABELS.since]: new Date().toISOString(),
        },
      },
      { action: "take the deploy lease" },
    );
  } catch (err) {
    if (!isAppError(err) || err.code !== "CONFLICT" || isRetry) throw err;
    const info = await docker.inspectContainer(name);
    const labels = info.Config.Labels ?? {};
    if (await isAbandoned(labels)) {
      job.log(
        `removing an abandoned deploy lease on ${app.target.name} (job ${labels[LEASE_LABELS.job] ?? "?"}, since ${labels[LEASE_LABELS.since] ?? "?"})`,
        "warn",
      );
      await docker.removeContainer(name, { force: true });
      return takeLease(docker, app, job, holder, image, true);
    }
    throw new AppError(
      "CONFLICT",
      `Another deploy holds ${app.target.name}: ${labels[LEASE_LABELS.holder] ?? "unknown"} since ${labels[LEASE_LABELS.since] ?? "?"} (job ${labels[LEASE_LABELS.job] ?? "?"}, ${labels[LEASE_LABELS.panel] === panelId() ? "this panel" : "another panel"}). Wait for it to finish.`,
      {
        host: app.target.name,
        data: { holder: labels[LEASE_LABELS.holder], jobId: labels[LEASE_LABELS.job] },
      },
    );
  }
}

/** Ours and no longer running here, or older than the staleness limit. */
async function isAbandoned(labels: Record<string, string>): Promise<boolean> {
  const since = Date.parse(labels[LEASE_LABELS.since] ?? "");
  if (!Number.isFinite(since) || Date.now() - since > STALE_MS) return true;
  if (labels[LEASE_LABELS.panel] !== panelId()) return false;
  const job = await db.job.findUnique({ where: { id: labels[LEASE_LABELS.job] ?? "" } });
  return !job || !["queued", "running"].includes(job.status);
}
