import type { ContainerCreateSpec } from "@/server/adapters/docker";
import type { ProvisionRole } from "@/server/domain/golive";

/** A port a container publishes: on which host address, to which container port. */
export interface PublishedPort {
  hostIp: string;
  hostPort: number;
  containerPort: number;
}

/**
 * What the panel creates on a host for one role, as the go-live plan's template describes it with the
 * template's known faults corrected (each correction said in `corrections`, for the job log). Pure
 * data: provisioning, the adoption diff and the compose export are all made from it.
 */
export interface RoleSpec {
  role: ProvisionRole;
  container: string;
  image: string;
  /** Replaces the image's CMD; undefined keeps it. */
  cmd?: string[];
  /** The container's environment (secrets included: in memory only, never logged). */
  env: Record<string, string>;
  ports: PublishedPort[];
  /** host path → container path (":ro" for read-only). */
  binds: { host: string; container: string; readOnly?: boolean }[];
  networkMode: "bridge" | "host";
  labels: Record<string, string>;
  /** Directories made on the host first: path, mode, and owner uid:gid when the image runs as another user. */
  dirs: { path: string; mode: string; owner?: string }[];
  /** Files written on the host first (an .env, a Caddyfile): text, mode. */
  files: { path: string; text: string; mode: string; secret?: boolean }[];
  /** How this differs from the plan's template, one line each. */
  corrections: string[];
  /** A Caddy proxy: the host's kernel is set so Caddy's config reloads reset no connection (reload-safety.ts). */
  reloadSafety?: boolean;
}

export const GOLIVE_LABELS = { stack: "com.pixelfox.stack", service: "com.pixelfox.service", managed: "com.pixelfox.provisioned" } as const;

/** The Docker API's create options for a role spec (restart policy always, as the templates have). */
export function toCreateSpec(spec: RoleSpec): ContainerCreateSpec {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of spec.ports) {
    const key = `${p.containerPort}/tcp`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  }
  return {
    name: spec.container,
    Image: spec.image,
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    ...(spec.cmd ? { Cmd: spec.cmd } : {}),
    Labels: spec.labels,
    ExposedPorts: exposed,
    HostConfig: {
      Binds: spec.binds.map((b) => `${b.host}:${b.container}${b.readOnly ? ":ro" : ""}`),
      NetworkMode: spec.networkMode,
      RestartPolicy: { Name: "always" },
      ...(spec.networkMode === "bridge" ? { PortBindings: bindings } : {}),
      LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } },
    },
  };
}

/** "127.0.0.1:4000→4000, 10.0.0.10:3306→3306" for messages. */
export const describePorts = (ports: PublishedPort[]) =>
  ports.map((p) => `${p.hostIp || "0.0.0.0"}:${p.hostPort}→${p.containerPort}`).join(", ") || "none (host network)";
