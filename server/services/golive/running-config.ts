import type { ContainerInspect } from "@/server/adapters/docker";
import { isSecretKey } from "@/server/services/env/env-format";
import type { PublishedPort } from "./role-spec";

/** What a container runs with, read from Docker (secrets kept apart, for masking). */
export interface RunningConfig {
  container: string;
  image: string;
  running: boolean;
  cmd: string[];
  networkMode: string;
  ports: PublishedPort[];
  binds: { host: string; container: string; readOnly: boolean }[];
  env: Record<string, string>;
  labels: Record<string, string>;
  restart: string;
}

export function readRunningConfig(info: ContainerInspect): RunningConfig {
  const ports: PublishedPort[] = [];
  for (const [key, bindings] of Object.entries<{ HostIp?: string; HostPort?: string }[] | null>(info.HostConfig.PortBindings ?? {})) {
    for (const b of bindings ?? [])
      ports.push({ hostIp: b.HostIp ?? "", hostPort: Number(b.HostPort), containerPort: Number(key.split("/")[0]) });
  }
  const binds = (info.Mounts ?? [])
    .filter((m) => m.Type === "bind" || m.Type === "volume")
    .map((m) => ({ host: m.Source, container: m.Destination, readOnly: !m.RW }))
    // Docker lists Mounts in no fixed order (two inspects of one container can differ): sorted, an
    // export or an adoption diff reads the same every time.
    .sort((a, b) => (a.container < b.container ? -1 : a.container > b.container ? 1 : 0));
  const env: Record<string, string> = {};
  for (const line of info.Config.Env ?? []) {
    const i = line.indexOf("=");
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return {
    container: info.Name.replace(/^\//, ""),
    image: info.Config.Image,
    running: info.State.Running,
    cmd: [...((info.Config.Entrypoint as string[] | null | undefined) ?? []), ...(info.Config.Cmd ?? [])],
    networkMode: info.HostConfig.NetworkMode ?? "default",
    ports,
    binds,
    env,
    labels: info.Config.Labels ?? {},
    restart: info.HostConfig.RestartPolicy?.Name ?? "no",
  };
}

/** "all interfaces" for "", 0.0.0.0 and ::; Docker publishes there when no address is given. */
export const isAllInterfaces = (ip: string) => ip === "" || ip === "0.0.0.0" || ip === "::";

/** The env with secret values masked (for showing a running container's config). */
export const maskedEnv = (env: Record<string, string>) =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, isSecretKey(k) && v ? `•••••• (${v.length} characters)` : v]));
