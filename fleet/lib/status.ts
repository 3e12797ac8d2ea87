/** What the fleet looks like right now (read from state files and pid checks; no network calls). */
import { APP_REPOSITORY, BRIDGE, PANEL_KEY, REGISTRY_HOST, dockerSocket } from "./paths.js";
import { allHosts, hostWithRole, planHostByName, type HostGroup, type HostSpec, type Role } from "./hosts.js";
import { PLAN_APP_TAG, PLAN_DB_NAME, PLANNX_DB_NAME } from "./plan.js";
import { APP_TAGS, BROKEN_TAGS } from "./images.js";
import { DB_NAME, DB_USER, libraryImageRef } from "./containers.js";
import { dockerdRunning } from "./dockerd.js";
import { registryForwardRunning, registryRunning } from "./registry.js";
import { hostKeyFingerprint, originalHostKeyFingerprint, sshdRunning } from "./sshd.js";
import { readSecrets } from "./state.js";
import { S3_BUCKET, S3_ENDPOINT, S3_REGION, readS3Credentials, s3Running } from "./s3.js";

export interface FleetHostStatus {
  name: string;
  roles: Role[];
  sshHost: string;
  sshPort: number;
  user: "root";
  privateKeyPath: string;
  /** fingerprint of the host key sshd serves now, formatted like `ssh-keygen -lf` */
  hostKeyFingerprint: string | null;
  /** the host's original key (differs from hostKeyFingerprint after `rekey`) */
  originalHostKeyFingerprint: string | null;
  dockerSocket: string;
  privateAddress: string;
  netns: string;
  containers: string[];
  running: { sshd: boolean; dockerd: boolean };
  /** core (the pixelfox stack), extra (benchmarks), plan (the plan-laid stacks), bare (for provisioning) */
  group: HostGroup;
  /** how its Docker networks containers; "none": no Docker on this host */
  docker: HostSpec["docker"];
  /** the plan-laid stack it belongs to */
  stack: string | null;
}

export interface FleetStatus {
  up: boolean;
  bridge: string;
  registry: {
    url: string;
    host: string;
    username: string;
    password: string;
    repository: string;
    tags: string[];
    brokenTags: string[];
    running: boolean;
  };
  /** S3-compatible storage for off-site backup copies (path-style). */
  s3: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; running: boolean };
  stack: {
    name: "pixelfox";
    publicDomain: string;
    db: { host: string; port: number; name: string; user: string; password: string; rootPassword: string };
    cache: { host: string; port: number; password: string };
  };
  /** The stacks laid out by the plan's templates (registered with `panel fleet import --plan`). */
  planStacks: {
    name: "plan" | "plannx";
    publicDomain: string;
    appTag: string;
    proxy: "caddy" | "nginx";
    db: { host: string; name: string; user: string; password: string };
  }[];
  /** Images provisioning pulls, by role (all in the fleet's registry). */
  roleImages: { db: string; cache: string; caddy: string; nginx: string };
  hosts: FleetHostStatus[];
}

export async function readFleetStatus(): Promise<FleetStatus> {
  return readFleetStatusNow();
}

/** The same record, read synchronously: only local files and pid checks, nothing over the network. */
export function readFleetStatusNow(): FleetStatus {
  const s = readSecrets();
  const hosts: FleetHostStatus[] = allHosts().map((h) => ({
    name: h.name,
    roles: h.roles,
    sshHost: h.address,
    sshPort: 22,
    user: "root",
    privateKeyPath: PANEL_KEY,
    hostKeyFingerprint: hostKeyFingerprint(h.name),
    originalHostKeyFingerprint: originalHostKeyFingerprint(h.name),
    dockerSocket: dockerSocket(h.name),
    privateAddress: h.address,
    netns: h.netns,
    containers: h.containers,
    running: { sshd: sshdRunning(h.name), dockerd: h.docker === "none" || dockerdRunning(h.name) },
    group: h.group,
    docker: h.docker,
    stack: h.stack ?? null,
  }));
  const regRunning = registryRunning();
  const s3Creds = readS3Credentials();
  const up = regRunning && hosts.every((h) => h.running.sshd && h.running.dockerd) && allHosts().every((h) => registryForwardRunning(h));
  const db = hostWithRole("db"),
    cache = hostWithRole("cache"),
    app = hostWithRole("app");
  return {
    up,
    bridge: BRIDGE,
    registry: {
      url: `http://${REGISTRY_HOST}`,
      host: REGISTRY_HOST,
      username: s?.registryUser ?? "pxfci",
      password: s?.registryPassword ?? "",
      repository: APP_REPOSITORY,
      tags: [...APP_TAGS],
      brokenTags: BROKEN_TAGS,
      running: regRunning,
    },
    s3: {
      endpoint: S3_ENDPOINT,
      region: S3_REGION,
      bucket: S3_BUCKET,
      accessKeyId: s3Creds?.accessKeyId ?? "",
      secretAccessKey: s3Creds?.secretAccessKey ?? "",
      running: s3Running(),
    },
    stack: {
      name: "pixelfox",
      publicDomain: `http://${app.address}`,
      db: {
        host: db.address,
        port: 3306,
        name: DB_NAME,
        user: DB_USER,
        password: s?.dbPassword ?? "",
        rootPassword: s?.dbRootPassword ?? "",
      },
      cache: { host: cache.address, port: 6379, password: s?.cachePassword ?? "" },
    },
    planStacks: (["plan", "plannx"] as const).map((name) => ({
      name,
      publicDomain: `http://${planHostByName(name === "plan" ? "plan-app" : "plannx-app").address}`,
      appTag: PLAN_APP_TAG,
      proxy: name === "plan" ? ("caddy" as const) : ("nginx" as const),
      db: {
        host: planHostByName("plan-db").address,
        name: name === "plan" ? PLAN_DB_NAME : PLANNX_DB_NAME,
        user: "pixelfox",
        password: s?.planDbPassword ?? "",
      },
    })),
    roleImages: {
      db: libraryImageRef("library/mariadb", "10.11"),
      cache: libraryImageRef("dragonflydb/dragonfly", "latest"),
      caddy: libraryImageRef("library/caddy", "2"),
      nginx: libraryImageRef("library/nginx", "1.22"),
    },
    hosts,
  };
}

export function formatStatus(st: FleetStatus): string {
  const yn = (b: boolean) => (b ? "yes" : "NO");
  const lines = [
    `fleet: ${st.up ? "UP" : "DOWN"}   registry ${st.registry.host} (${st.registry.running ? "running" : "stopped"}) user ${st.registry.username}   repo ${st.registry.repository} tags ${st.registry.tags.join(", ")}`,
    `s3: ${st.s3.endpoint} bucket ${st.s3.bucket} (${st.s3.running ? "running" : "stopped"}) access key ${st.s3.accessKeyId || "-"}`,
    `stack: ${st.stack.publicDomain}   db ${st.stack.db.user}@${st.stack.db.host}:${st.stack.db.port}/${st.stack.db.name}   cache ${st.stack.cache.host}:${st.stack.cache.port}`,
    "",
  ];
  const rows = [["HOST", "GROUP", "ADDRESS", "NETNS", "ROLES", "SSHD", "DOCKERD", "CONTAINERS", "HOST KEY"]];
  for (const h of st.hosts) {
    const key =
      (h.hostKeyFingerprint ?? "-") + (h.hostKeyFingerprint && h.hostKeyFingerprint !== h.originalHostKeyFingerprint ? " (REKEYED)" : "");
    rows.push([
      h.name,
      h.stack ?? h.group,
      h.sshHost,
      h.netns,
      h.roles.join(",") || "-",
      yn(h.running.sshd),
      h.docker === "none" ? "none" : yn(h.running.dockerd),
      h.containers.join(",") || "-",
      key,
    ]);
  }
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const r of rows) lines.push(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  "));
  lines.push("", `ssh: ssh -i ${PANEL_KEY} root@<address>   docker: docker -H unix:///run/pixelfox-fleet/<host>/docker.sock ps`);
  return lines.join("\n");
}
