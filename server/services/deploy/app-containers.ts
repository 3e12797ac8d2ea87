import type { ContainerInspect, DockerClient, HostConfig } from "@/server/adapters/docker";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";

export const LABELS = {
  stack: "com.pixelfox.stack",
  service: "com.pixelfox.service",
  tag: "com.pixelfox.tag",
  deployment: "com.pixelfox.deployment",
  port: "com.pixelfox.port",
  envVersion: "com.pixelfox.env-version",
} as const;

/** An app container as the deploy sees it. */
export interface AppContainer {
  id: string;
  name: string;
  image: string;
  tag: string | null;
  port: number | null;
  running: boolean;
  createdAt: number;
  labels: Record<string, string>;
  /** "host" or Docker's "bridge"/"default" (then its port is published on a host address). */
  networkMode: string;
}

const bare = (name: string) => name.replace(/^\//, "");

function tagOf(image: string, labels: Record<string, string>): string | null {
  if (labels[LABELS.tag]) return labels[LABELS.tag] ?? null;
  const at = image.lastIndexOf("@");
  if (at > 0) return image.slice(at + 1);
  const colon = image.lastIndexOf(":");
  return colon > image.lastIndexOf("/") ? image.slice(colon + 1) : "latest";
}

/** The loopback port an app container serves on: our label, its APP_PORT (host network) or its binding. */
export function portOf(info: ContainerInspect): number | null {
  const label = info.Config.Labels?.[LABELS.port];
  if (label) return Number(label);
  if (info.HostConfig.NetworkMode === "host") {
    const env = (info.Config.Env ?? []).find((e) => e.startsWith("APP_PORT="));
    return env ? Number(env.slice("APP_PORT=".length)) : 4000;
  }
  const bindings = Object.values<{ HostPort?: string }[]>(info.HostConfig.PortBindings ?? {});
  const hostPort = bindings.flat().find((b) => b.HostPort)?.HostPort;
  return hostPort ? Number(hostPort) : null;
}

/**
 * Every app container of the stack on one host: the live one (named like the service's container),
 * candidates left by an interrupted deploy (`<name>-next-…`) and retained previous ones (`<name>-prev-…`).
 */
export async function listAppContainers(docker: DockerClient, containerName: string): Promise<AppContainer[]> {
  const infos = await docker.listContainers({ all: true }, { action: "list app containers" });
  const ours = infos.filter((c) =>
    c.Names.some(
      (n) => bare(n) === containerName || bare(n).startsWith(`${containerName}-next-`) || bare(n).startsWith(`${containerName}-prev-`),
    ),
  );
  const out: AppContainer[] = [];
  for (const c of ours) {
    const info = await docker.inspectContainer(c.Id).catch(() => null);
    if (!info) continue;
    const labels = info.Config.Labels ?? {};
    out.push({
      id: c.Id,
      name: bare(info.Name),
      image: info.Config.Image,
      tag: tagOf(info.Config.Image, labels),
      port: portOf(info),
      running: info.State.Running,
      createdAt: Date.parse(info.Created),
      labels,
      networkMode: info.HostConfig.NetworkMode ?? "host",
    });
  }
  return out.sort((a, b) => b.createdAt - a.createdAt);
}

export function findLive(containers: AppContainer[], containerName: string): AppContainer | null {
  return containers.find((c) => c.name === containerName && c.running) ?? null;
}

export interface CandidateSpec {
  image: string;
  tag: string;
  port: number;
  name: string;
  deploymentId: string;
  stackName: string;
  /** The stack's managed environment (KEY=VALUE), or null to copy the live container's. */
  env?: { version: number; entries: string[] } | null;
  /**
   * On Docker's bridge network: the host address the new container publishes its port on, where the
   * proxy dials it (127.0.0.1 when they share the host, else the host's private address). Never 0.0.0.0.
   */
  publishOn?: string;
}

const REQUIRED_BINDS = ["/srv/pixelfox/uploads:/app/uploads", "/srv/pixelfox/tmp:/app/tmp"];

/** What a new container takes over: from the live one, or the prod compose's defaults on a first deploy. */
interface CandidateBase {
  env: string[];
  binds: string[];
  networkMode: string;
  labels: Record<string, string>;
  stopTimeout: number;
  logConfig?: HostConfig["LogConfig"];
  containerPort: string;
}

async function baseFromLive(docker: DockerClient, live: AppContainer, spec: CandidateSpec): Promise<CandidateBase> {
  const info = await docker.inspectContainer(live.id, { action: `create ${spec.name}` });
  return {
    // The stack's managed environment when it has one, else the live container's own.
    env: spec.env ? spec.env.entries : await configuredEnv(docker, info),
    binds: info.HostConfig.Binds ?? [],
    networkMode: info.HostConfig.NetworkMode ?? "host",
    // The live container's env-version label says nothing about an env copied from it.
    // Compose's own labels stay off: compose would count the new container as one of its replicas.
    labels: Object.fromEntries(
      Object.entries(info.Config.Labels ?? {}).filter(([k]) => k !== LABELS.envVersion && !k.startsWith("com.docker.compose.")),
    ),
    stopTimeout: (info.Config as { StopTimeout?: number }).StopTimeout ?? 10,
    logConfig: info.HostConfig.LogConfig,
    containerPort: `${(info.Config.Env ?? []).find((e) => e.startsWith("APP_PORT="))?.slice(9) ?? "4000"}/tcp`,
  };
}

/**
 * A first deploy (no app container on the host yet): the prod compose's volumes and restart policy,
 * the panel's env, and host networking on the loopback port the deploy picked (the proxy shares the
 * host, or dials the host's private address).
 */
function baseForFirstDeploy(spec: CandidateSpec): CandidateBase {
  if (!spec.env) throw new AppError("PRECONDITION_FAILED", "A first deploy needs the app's environment saved in the panel.");
  return { env: spec.env.entries, binds: [], networkMode: "host", labels: {}, stopTimeout: 10, containerPort: "4000/tcp" };
}

/**
 * Creates the new container from the live one's configuration (env, volumes, network, restart policy,
 * labels), as the prod compose defines them, on the other loopback port. Env that merely repeats the
 * old image's defaults is not copied, so the new image's own defaults win. With no live container
 * (a first deploy) it is built from the panel's env and the compose's defaults.
 */
export async function createCandidate(docker: DockerClient, live: AppContainer | null, spec: CandidateSpec): Promise<string> {
  const action = `create ${spec.name}`;
  const base = live ? await baseFromLive(docker, live, spec) : baseForFirstDeploy(spec);
  const isHostNetwork = base.networkMode === "host";
  const env = base.env.filter((e) => !(isHostNetwork && e.startsWith("APP_PORT=")));
  if (isHostNetwork) env.push(`APP_PORT=${spec.port}`);
  return docker.createContainer(
    {
      name: spec.name,
      Image: spec.image,
      Env: env,
      Labels: {
        ...base.labels,
        [LABELS.stack]: spec.stackName,
        [LABELS.service]: "app",
        [LABELS.tag]: spec.tag,
        [LABELS.deployment]: spec.deploymentId,
        [LABELS.port]: String(spec.port),
        ...(spec.env ? { [LABELS.envVersion]: String(spec.env.version) } : {}),
      },
      StopTimeout: base.stopTimeout,
      HostConfig: {
        Binds: [...new Set([...base.binds, ...REQUIRED_BINDS])],
        NetworkMode: base.networkMode,
        RestartPolicy: { Name: "always" },
        ...(base.logConfig ? { LogConfig: base.logConfig } : {}),
        ...(isHostNetwork
          ? {}
          : { PortBindings: { [base.containerPort]: [{ HostIp: spec.publishOn ?? "127.0.0.1", HostPort: String(spec.port) }] } }),
      },
    },
    { action },
  );
}

/** A container's env without what merely repeats its image's defaults (so a new image's own defaults win). */
export async function configuredEnv(docker: DockerClient, info: ContainerInspect): Promise<string[]> {
  const imageEnv = await docker
    .findImage(info.Image)
    .then((i) => i?.Config.Env ?? [])
    .catch(() => [] as string[]);
  return (info.Config.Env ?? []).filter((e) => !imageEnv.includes(e));
}

export function assertPortFree(containers: AppContainer[], port: number, target: SshTarget) {
  const busy = containers.find((c) => c.running && c.port === port);
  if (busy) {
    throw new AppError(
      "CONFLICT",
      `Port ${port} on ${target.name} is used by running container ${busy.name}: stop it or change the stack's ports`,
      { host: target.name },
    );
  }
}
