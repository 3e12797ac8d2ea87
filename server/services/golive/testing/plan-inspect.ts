/**
 * Test fixtures: `docker inspect` of the containers the go-live plan's templates leave (docker compose on
 * Docker 20.10: HostIp "" for "3306:3306", the project's network, the compose labels), trimmed to the
 * fields the panel reads but shaped as Docker prints them. Not used by production code.
 */
import type { ContainerInspect } from "@/server/adapters/docker";

interface InspectParts {
  name: string;
  image: string;
  entrypoint?: string[] | null;
  cmd?: string[] | null;
  env?: string[] | null;
  labels?: Record<string, string> | null;
  networkMode?: string;
  portBindings?: Record<string, { HostIp: string; HostPort: string }[] | null> | null;
  mounts?: { Type: string; Source: string; Destination: string; RW: boolean; Name?: string }[];
  restart?: string;
  running?: boolean;
}

const composeLabels = (project: string, service: string) => ({
  "com.docker.compose.config-hash": "5f0c3a".padEnd(64, "0"),
  "com.docker.compose.container-number": "1",
  "com.docker.compose.oneoff": "False",
  "com.docker.compose.project": project,
  "com.docker.compose.project.config_files": `/srv/${project}/docker-compose.yml`,
  "com.docker.compose.project.working_dir": `/srv/${project}`,
  "com.docker.compose.service": service,
  "com.docker.compose.version": "2.29.7",
});

export function inspect(p: InspectParts): ContainerInspect {
  const running = p.running ?? true;
  return {
    Id: `${p.name.replace(/\W/g, "")}`.padEnd(64, "0"),
    Created: "2026-01-02T03:04:05.123456789Z",
    Path: (p.entrypoint ?? p.cmd ?? [""])[0],
    Args: [...(p.entrypoint ?? []), ...(p.cmd ?? [])].slice(1),
    State: { Status: running ? "running" : "exited", Running: running, Paused: false, Restarting: false, ExitCode: running ? 0 : 137 },
    Image: "sha256:".padEnd(71, "a"),
    Name: `/${p.name}`,
    RestartCount: 0,
    Mounts: (p.mounts ?? []).map((m) => ({ Mode: m.RW ? "rw" : "ro", Propagation: m.Type === "bind" ? "rprivate" : "", ...m })),
    HostConfig: {
      Binds: (p.mounts ?? []).filter((m) => m.Type === "bind").map((m) => `${m.Source}:${m.Destination}:${m.RW ? "rw" : "ro"}`),
      NetworkMode: p.networkMode ?? "bridge",
      PortBindings: p.portBindings === undefined ? {} : p.portBindings,
      RestartPolicy: { Name: p.restart ?? "always", MaximumRetryCount: 0 },
      LogConfig: { Type: "json-file", Config: {} },
    },
    Config: {
      Hostname: p.name.slice(0, 12),
      Env: p.env === undefined ? ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] : p.env,
      Cmd: p.cmd ?? null,
      Image: p.image,
      Entrypoint: p.entrypoint ?? null,
      Labels: p.labels === undefined ? {} : p.labels,
    },
  } as unknown as ContainerInspect;
}

/** db.compose.yml: mysql:8.4, 3306:3306, the removed option, the plan's placeholder password. */
export const PLAN_DB = inspect({
  name: "pxlfox-db",
  image: "mysql:8.4",
  entrypoint: ["docker-entrypoint.sh"],
  cmd: ["--default-authentication-plugin=mysql_native_password"],
  env: [
    "MYSQL_ROOT_PASSWORD=change-me",
    "MYSQL_DATABASE=pixelfox_db",
    "MYSQL_USER=pixelfox",
    "MYSQL_PASSWORD=strong_db_password",
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "GOSU_VERSION=1.17",
    "MYSQL_MAJOR=8.4",
  ],
  labels: composeLabels("mysql", "db"),
  networkMode: "mysql_default",
  portBindings: { "3306/tcp": [{ HostIp: "", HostPort: "3306" }] },
  mounts: [{ Type: "bind", Source: "/srv/mysql/data", Destination: "/var/lib/mysql", RW: true }],
});

/** cache.compose.yml: Dragonfly, 6379:6379, no --requirepass. */
export const PLAN_CACHE = inspect({
  name: "pxlfox-cache",
  image: "docker.dragonflydb.io/dragonflydb/dragonfly",
  entrypoint: ["entrypoint.sh"],
  cmd: ["dragonfly", "--cache_mode=true"],
  labels: composeLabels("dragonfly", "cache"),
  networkMode: "dragonfly_default",
  portBindings: { "6379/tcp": [{ HostIp: "", HostPort: "6379" }] },
  mounts: [
    {
      Type: "volume",
      Name: "f3a1".padEnd(64, "0"),
      Source: `/var/lib/docker/volumes/${"f3a1".padEnd(64, "0")}/_data`,
      Destination: "/data",
      RW: true,
    },
  ],
});

/** app.compose.yml: 127.0.0.1:4000:4000, the plan's .env.prod placeholders. */
export const PLAN_APP = inspect({
  name: "pxlfox-app",
  image: "ghcr.io/pixelfox/pixelfox:v1.3.0",
  cmd: ["/app/pixelfox-app"],
  env: [
    "PUBLIC_DOMAIN=https://pixelfox.cc",
    "APP_HOST=0.0.0.0",
    "DB_HOST=10.0.0.10",
    "DB_PASSWORD=strong_db_password",
    "CACHE_HOST=10.0.0.20",
    "UPLOAD_TOKEN_SECRET=change_this_secret",
    "REPLICATION_SECRET=change_this_replication_secret",
  ],
  labels: composeLabels("pixelfox", "app"),
  networkMode: "pixelfox_default",
  portBindings: { "4000/tcp": [{ HostIp: "127.0.0.1", HostPort: "4000" }] },
  mounts: [
    { Type: "bind", Source: "/srv/pixelfox/uploads", Destination: "/app/uploads", RW: true },
    { Type: "bind", Source: "/srv/pixelfox/tmp", Destination: "/app/tmp", RW: true },
  ],
});

/** proxy.compose.yml: caddy:2 on the host network, the Caddyfile read-only. */
export const PLAN_PROXY = inspect({
  name: "pxlfox-proxy",
  image: "caddy:2",
  cmd: ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"],
  labels: composeLabels("caddy", "proxy"),
  networkMode: "host",
  mounts: [
    { Type: "bind", Source: "/srv/caddy/Caddyfile", Destination: "/etc/caddy/Caddyfile", RW: false },
    { Type: "bind", Source: "/srv/caddy/data", Destination: "/data", RW: true },
  ],
});
