/**
 * The stacks laid out by the go-live plan's templates, as an operator who followed the plan has them:
 * `plan` (app, db, cache and Caddy from a Caddyfile) and `plannx` (app and Nginx, using plan's db and
 * cache servers with a database of its own). Containers are created like `docker compose up` of the
 * templates would create them (their ports, volumes, env_file, labels), with the plan's faults an
 * operator would still have after getting it to run: 3306 and 6379 published on every interface, a
 * cache without a password, placeholder secrets, the first migration's seeded accounts, password SSH on
 * plan-db and no firewall on plan-cache.
 */
import fs from "node:fs";
import path from "node:path";
import { DOCKER_CONFIG_DIR, REGISTRY_HOST } from "./paths.js";
import { PLAN_HOSTS, planHostByName, type HostSpec } from "./hosts.js";
import { docker, dockerOk } from "./dockerd.js";
import { hostSrvDir } from "./mountns.js";
import { IMAGES_DIR } from "./paths.js";
import { log, run, waitFor } from "./proc.js";
import { ensurePlanFirewall } from "./firewall.js";
import { writeIfChanged, type Secrets } from "./state.js";

export const PLAN_APP_TAG = "v2.0.0";
export const PLAN_DB_NAME = "pixelfox_db";
export const PLANNX_DB_NAME = "pixelfox_nx";
const withDockerConfig = { env: { ...process.env, DOCKER_CONFIG: DOCKER_CONFIG_DIR } };
const image = (repo: string, tag: string) => `${REGISTRY_HOST}/${repo}:${tag}`;

/** What `docker compose` puts on the containers it creates (project pixelfox). */
const composeLabels = (service: string, workdir: string) =>
  [
    "com.docker.compose.project=pixelfox",
    `com.docker.compose.service=${service}`,
    "com.docker.compose.container-number=1",
    "com.docker.compose.oneoff=False",
    `com.docker.compose.project.working_dir=${workdir}`,
  ].flatMap((l) => ["--label", l]);

const envText = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n") + "\n";

/** Writes a file into the host's own /srv (as the host sees it at `/srv/<rel>`). */
function writeSrv(h: HostSpec, rel: string, text: string, mode = 0o644): void {
  const file = path.join(hostSrvDir(h), rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeIfChanged(file, text, mode);
}
const mkSrv = (h: HostSpec, ...rels: string[]) => rels.forEach((r) => fs.mkdirSync(path.join(hostSrvDir(h), r), { recursive: true }));

export function planAppEnv(s: Secrets, stack: "plan" | "plannx"): Record<string, string> {
  const app = planHostByName(stack === "plan" ? "plan-app" : "plannx-app");
  return {
    PUBLIC_DOMAIN: `http://${app.address}`,
    APP_ENV: "prod",
    APP_HOST: "0.0.0.0",
    APP_PORT: "4000",
    DB_HOST: planHostByName("plan-db").address,
    DB_NAME: stack === "plan" ? PLAN_DB_NAME : PLANNX_DB_NAME,
    DB_USER: "pixelfox",
    DB_PASSWORD: s.planDbPassword,
    CACHE_HOST: planHostByName("plan-cache").address,
    CACHE_PORT: "6379",
    // The plan's .env example, as an operator who copied it has it (the audit finds these).
    UPLOAD_TOKEN_SECRET: "change_this_secret",
    REPLICATION_SECRET: "change_this_replication_secret",
  };
}

export function planCaddyfile(address: string): string {
  return `{
\temail ops@pixelfox.test
}

http://www.plan.pixelfox.test {
\tredir http://${address}{uri} permanent
}

http://${address}, http://plan.pixelfox.test {
\tencode gzip
\theader {
\t\tStrict-Transport-Security "max-age=31536000; includeSubDomains"
\t\tX-Frame-Options "DENY"
\t\tX-Content-Type-Options "nosniff"
\t\tReferrer-Policy "strict-origin-when-cross-origin"
\t}
\treverse_proxy 127.0.0.1:4000
\tlog {
\t\toutput file /data/access.log
\t}
}
`;
}

/** The plan's Nginx example on plain HTTP (the fleet has no certificate). */
export function planNginxSite(address: string): string {
  return `server {
  listen 80;
  server_name ${address} plannx.pixelfox.test;
  location / {
    proxy_pass http://127.0.0.1:4000;
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
  }
}
`;
}

interface PlanContainer {
  host: HostSpec;
  name: string;
  service: string;
  workdir: string;
  image: string;
  prepare: () => void;
  args: string[];
  cmd: string[];
}

function containers(s: Secrets): PlanContainer[] {
  const db = planHostByName("plan-db"),
    cache = planHostByName("plan-cache");
  const app = planHostByName("plan-app"),
    nx = planHostByName("plannx-app");
  const appContainer = (h: HostSpec, stack: "plan" | "plannx"): PlanContainer => ({
    host: h,
    name: "pxlfox-app",
    service: "app",
    workdir: "/srv/pixelfox",
    image: image("pixelfox/app", PLAN_APP_TAG),
    prepare: () => {
      mkSrv(h, "pixelfox/uploads", "pixelfox/tmp");
      writeSrv(h, "pixelfox/.env", envText(planAppEnv(s, stack)), 0o600);
    },
    // The docker CLI reads --env-file itself, in the fleet's own mount namespace: the host's file by its real path.
    // (Bind mounts are resolved by the host's dockerd, which sees the host's own /srv.)
    args: [
      "-p",
      "127.0.0.1:4000:4000",
      "--env-file",
      path.join(hostSrvDir(h), "pixelfox/.env"),
      "-v",
      "/srv/pixelfox/uploads:/app/uploads",
      "-v",
      "/srv/pixelfox/tmp:/app/tmp",
    ],
    cmd: [],
  });
  return [
    {
      host: db,
      name: "pxlfox-db",
      service: "db",
      workdir: "/srv/mysql",
      image: image("library/mariadb", "10.11"),
      prepare: () => {
        mkSrv(db, "mysql/data");
        writeSrv(
          db,
          "mysql/.env",
          envText({ DB_ROOT_PASSWORD: s.planDbRootPassword, DB_NAME: PLAN_DB_NAME, DB_USER: "pixelfox", DB_PASSWORD: s.planDbPassword }),
          0o600,
        );
      },
      // The template's mapping of DB_* to the image's MYSQL_*; published on every interface, as the template has it.
      args: [
        "-p",
        "3306:3306",
        "-e",
        `MYSQL_ROOT_PASSWORD=${s.planDbRootPassword}`,
        "-e",
        `MYSQL_DATABASE=${PLAN_DB_NAME}`,
        "-e",
        "MYSQL_USER=pixelfox",
        "-e",
        `MYSQL_PASSWORD=${s.planDbPassword}`,
        "-v",
        "/srv/mysql/data:/var/lib/mysql",
      ],
      cmd: [],
    },
    {
      host: cache,
      name: "pxlfox-cache",
      service: "cache",
      workdir: "/srv/dragonfly",
      image: image("dragonflydb/dragonfly", "latest"),
      prepare: () => mkSrv(cache, "dragonfly/data"),
      args: ["-p", "6379:6379", "-v", "/srv/dragonfly/data:/data"],
      cmd: ["dragonfly", "--cache_mode=true"],
    },
    appContainer(app, "plan"),
    {
      host: app,
      name: "pxlfox-proxy",
      service: "proxy",
      workdir: "/srv/caddy",
      image: image("library/caddy", "2"),
      prepare: () => {
        mkSrv(app, "caddy/data", "caddy/config");
        writeSrv(app, "caddy/Caddyfile", planCaddyfile(app.address));
      },
      args: [
        "--network",
        "host",
        "-v",
        "/srv/caddy/Caddyfile:/etc/caddy/Caddyfile",
        "-v",
        "/srv/caddy/data:/data",
        "-v",
        "/srv/caddy/config:/config",
      ],
      cmd: [],
    },
    appContainer(nx, "plannx"),
    {
      host: nx,
      name: "pxlfox-proxy",
      service: "proxy",
      workdir: "/srv/nginx",
      image: image("library/nginx", "1.22"),
      prepare: () => writeSrv(nx, "nginx/sites-enabled/pixelfox", planNginxSite(nx.address)),
      args: ["--network", "host", "-v", "/srv/nginx/sites-enabled:/etc/nginx/sites-enabled"],
      cmd: [],
    },
  ];
}

async function ensurePlanContainer(c: PlanContainer): Promise<void> {
  const state = await docker(c.host, ["inspect", "--format", "{{.State.Status}}", c.name]);
  if (state.code === 0) {
    if (state.stdout.trim() !== "running") await dockerOk(c.host, ["start", c.name]);
    return;
  }
  c.prepare();
  if ((await docker(c.host, ["image", "inspect", c.image])).code !== 0) {
    log(`pulling ${c.image} on host ${c.host.name}…`);
    await dockerOk(c.host, ["pull", c.image], withDockerConfig);
  }
  log(`creating container ${c.name} on host ${c.host.name} (as the plan's template does)`);
  await dockerOk(c.host, [
    "run",
    "-d",
    "--name",
    c.name,
    "--restart",
    "always",
    ...composeLabels(c.service, c.workdir),
    ...c.args,
    c.image,
    ...c.cmd,
  ]);
}

const sqlAs = (user: string, password: string, sql: string, database?: string) =>
  run(
    "mariadb",
    [
      "-h",
      planHostByName("plan-db").address,
      "-P",
      "3306",
      "-u",
      user,
      "--connect-timeout=2",
      ...(database ? ["-D", database] : []),
      "-N",
      "-e",
      sql,
    ],
    { env: { ...process.env, MYSQL_PWD: password }, timeoutMs: 10_000 },
  );

async function httpOk(url: string): Promise<boolean> {
  const r = await run("curl", ["-fsS", "-m", "3", url], { timeoutMs: 5000 });
  return r.code === 0 && r.stdout.includes('"pong"');
}

/**
 * After the app's first start (it creates its tables), the operator ran `migrate up`: migration 1 seeds
 * rows, including the two well-known test accounts. Done once per database.
 */
async function seedOnce(database: string, s: Secrets): Promise<void> {
  const has = await sqlAs("pixelfox", s.planDbPassword, "SELECT COUNT(*) FROM schema_migrations", database);
  if (has.code === 0) return;
  const seed = fs.readFileSync(path.join(IMAGES_DIR, "app", "migrations-v2", "000001_init.up.sql"), "utf8");
  const sql = `${seed}\nCREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);\nINSERT INTO schema_migrations VALUES (1, 0);`;
  const r = await sqlAs("pixelfox", s.planDbPassword, sql, database);
  if (r.code !== 0) throw new Error(`seeding ${database} on plan-db failed: ${r.stderr.trim()}`);
  log(`plan: ran migration 000001 on ${database} (seed rows, as \`migrate up\` after the first start)`);
}

export async function ensurePlanStacks(s: Secrets): Promise<void> {
  const all = containers(s);
  for (const c of all.filter((c) => c.service === "db" || c.service === "cache")) await ensurePlanContainer(c);
  // root only logs in from inside the container (as the image sets it up): wait for the app's user.
  await waitFor(
    "MariaDB on plan-db",
    async () => (await sqlAs("pixelfox", s.planDbPassword, "SELECT 1", PLAN_DB_NAME)).code === 0,
    120_000,
    "docker logs pxlfox-db on plan-db",
  );
  // plannx's database on the same server (the operator created it by hand).
  const db = planHostByName("plan-db");
  await dockerOk(db, [
    "exec",
    "pxlfox-db",
    "sh",
    "-c",
    `MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mariadb -uroot -e "CREATE DATABASE IF NOT EXISTS ${PLANNX_DB_NAME} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; GRANT ALL PRIVILEGES ON ${PLANNX_DB_NAME}.* TO 'pixelfox'@'%'"`,
  ]);
  for (const c of all.filter((c) => c.service === "app" || c.service === "proxy")) await ensurePlanContainer(c);
  for (const h of PLAN_HOSTS.filter((x) => x.roles.includes("app"))) {
    await waitFor(
      `the plan app behind the proxy on ${h.name}`,
      () => httpOk(`http://${h.address}/api/v1/ping`),
      90_000,
      `docker logs pxlfox-app / pxlfox-proxy on ${h.name}`,
    );
  }
  await seedOnce(PLAN_DB_NAME, s);
  await seedOnce(PLANNX_DB_NAME, s);
  // ufw on the app hosts and the db host, none on the cache host (fleet/lib/firewall.ts).
  const appAddresses = PLAN_HOSTS.filter((x) => x.roles.includes("app")).map((x) => x.address);
  for (const h of PLAN_HOSTS) await ensurePlanFirewall(h, appAddresses);
}
