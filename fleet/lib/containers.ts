/** Load images into the hosts' daemons, publish the app tags, create the initial containers. */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import http from "node:http";
import { APP_REPOSITORY, DOCKER_CONFIG_DIR, REGISTRY_HOST, hostStateDir } from "./paths.js";
import { hostWithRole, type HostSpec } from "./hosts.js";
import {
  APP_TAGS,
  buildAppImage,
  buildCaddyImage,
  buildDragonflyImage,
  buildMariadbImage,
  buildNginxImage,
  buildRedisImage,
  type BuiltImage,
} from "./images.js";
import { docker, dockerOk } from "./dockerd.js";
import { log, run, waitFor } from "./proc.js";
import { REGISTRY_DIR, registryGet } from "./registry.js";
import { writeIfChanged, type Secrets } from "./state.js";

const RECIPE_LABEL = "com.pixelfox.fleet.recipe";
const STACK = "pixelfox";
export const DB_NAME = "pixelfox_db";
export const DB_USER = "pixelfox";
const withDockerConfig = { env: { ...process.env, DOCKER_CONFIG: DOCKER_CONFIG_DIR } };

/** Import a cached tarball into a host's daemon unless the same recipe is already there. */
async function importImage(h: HostSpec, ref: string, img: BuiltImage): Promise<void> {
  const cur = await docker(h, ["image", "inspect", "--format", `{{index .Config.Labels "${RECIPE_LABEL}"}}`, ref]);
  if (cur.code === 0 && cur.stdout.trim() === img.hash) return;
  log(`loading image ${ref} into host ${h.name}…`);
  const changes = [...img.changes, `LABEL ${RECIPE_LABEL}=${img.hash}`].flatMap((c) => ["--change", c]);
  await dockerOk(h, ["import", ...changes, img.tar, ref]);
}

/** Images the fleet's registry serves besides the app: what provisioning pulls onto bare hosts. */
export const LIBRARY_IMAGES: { repo: string; tag: string; build: () => Promise<BuiltImage> }[] = [
  { repo: "library/mariadb", tag: "10.11", build: buildMariadbImage },
  { repo: "library/redis", tag: "7", build: buildRedisImage },
  { repo: "dragonflydb/dragonfly", tag: "latest", build: buildDragonflyImage },
  { repo: "library/caddy", tag: "2", build: buildCaddyImage },
  { repo: "library/nginx", tag: "1.22", build: buildNginxImage },
];
export const libraryImageRef = (repo: string, tag: string) => `${REGISTRY_HOST}/${repo}:${tag}`;

/** Push every app tag and library image to the registry (from the app host's daemon) when its recipe changed. */
export async function publishAppImages(secrets: Secrets): Promise<string[]> {
  const h = hostWithRole("app");
  const pushedFile = path.join(REGISTRY_DIR, "pushed.json");
  let pushed: Record<string, string> = {};
  try {
    pushed = JSON.parse(fs.readFileSync(pushedFile, "utf8"));
  } catch {
    /* none yet */
  }
  const auth = { user: secrets.registryUser, pass: secrets.registryPassword };
  const accept = "application/vnd.docker.distribution.manifest.v2+json";
  const wanted = [
    ...APP_TAGS.map((tag) => ({ repo: "pixelfox/app", tag, key: tag, build: () => buildAppImage(tag) })),
    ...LIBRARY_IMAGES.map((i) => ({ ...i, key: `${i.repo}:${i.tag}` })),
  ];
  const done: string[] = [];
  for (const w of wanted) {
    const img = await w.build();
    const present = (await registryGet(`/v2/${w.repo}/manifests/${w.tag}`, auth, "HEAD", accept)) === 200;
    if (present && pushed[w.key] === img.hash) continue;
    const ref = `${REGISTRY_HOST}/${w.repo}:${w.tag}`;
    await importImage(h, ref, img);
    log(`pushing ${ref}…`);
    await dockerOk(h, ["push", ref], withDockerConfig);
    pushed[w.key] = img.hash;
    fs.writeFileSync(pushedFile, JSON.stringify(pushed, null, 2) + "\n");
    done.push(w.key);
    // Leave only what a real host would have: deploys and provisioning must pull. (In-use images stay.)
    await docker(h, ["rmi", ref]);
  }
  return done;
}

interface ContainerSpec {
  host: HostSpec;
  name: string;
  service: string;
  image: string;
  prepare: () => Promise<void>;
  runArgs: string[];
  cmd: string[];
}

function labels(service: string): string[] {
  return ["--label", `com.pixelfox.service=${service}`, "--label", `com.pixelfox.stack=${STACK}`, "--label", "com.pixelfox.fleet=1"];
}

export function appEnv(s: Secrets): Record<string, string> {
  const db = hostWithRole("db"),
    cache = hostWithRole("cache"),
    app = hostWithRole("app");
  return {
    APP_ENV: "prod",
    APP_HOST: "127.0.0.1",
    APP_PORT: "4000",
    PUBLIC_DOMAIN: `http://${app.address}`,
    DB_HOST: db.address,
    DB_PORT: "3306",
    DB_NAME,
    DB_USER,
    DB_PASSWORD: s.dbPassword,
    CACHE_HOST: cache.address,
    CACHE_PORT: "6379",
    CACHE_PASSWORD: s.cachePassword,
    NODE_ID: "app",
  };
}
const envFile = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n") + "\n";

function specs(s: Secrets): ContainerSpec[] {
  const db = hostWithRole("db"),
    cache = hostWithRole("cache"),
    app = hostWithRole("app");
  const dbEnvFile = path.join(hostStateDir("db"), "db.env");
  const appEnvFile = "/srv/pixelfox/.env";
  const caddyConfigDir = path.join(hostStateDir("app"), "caddy-config");
  return [
    {
      host: db,
      name: "pxlfox-db",
      service: "db",
      image: "pxf/mariadb:10.11",
      prepare: async () => {
        fs.mkdirSync(path.join(hostStateDir("db"), "mysql"), { recursive: true });
        writeIfChanged(
          dbEnvFile,
          envFile({ MYSQL_ROOT_PASSWORD: s.dbRootPassword, MYSQL_DATABASE: DB_NAME, MYSQL_USER: DB_USER, MYSQL_PASSWORD: s.dbPassword }),
          0o600,
        );
        await importImage(db, "pxf/mariadb:10.11", await buildMariadbImage());
      },
      runArgs: ["--env-file", dbEnvFile, "-v", `${path.join(hostStateDir("db"), "mysql")}:/var/lib/mysql`],
      cmd: [],
    },
    {
      host: cache,
      name: "pxlfox-cache",
      service: "cache",
      image: "pxf/redis:7",
      prepare: async () => {
        fs.mkdirSync(path.join(hostStateDir("cache"), "data"), { recursive: true });
        await importImage(cache, "pxf/redis:7", await buildRedisImage());
      },
      runArgs: ["-v", `${path.join(hostStateDir("cache"), "data")}:/data`],
      cmd: [
        "redis-server",
        "--bind",
        "0.0.0.0",
        "--port",
        "6379",
        "--requirepass",
        s.cachePassword,
        "--protected-mode",
        "no",
        "--dir",
        "/data",
      ],
    },
    {
      host: app,
      name: "pxlfox-app",
      service: "app",
      image: `${APP_REPOSITORY}:v1.0.0`,
      prepare: async () => {
        for (const d of ["/srv/pixelfox/uploads", "/srv/pixelfox/tmp"]) fs.mkdirSync(d, { recursive: true });
        writeIfChanged(appEnvFile, envFile(appEnv(s)), 0o600);
        const have = await docker(app, ["image", "inspect", `${APP_REPOSITORY}:v1.0.0`]);
        if (have.code !== 0) {
          log(`pulling ${APP_REPOSITORY}:v1.0.0 on host app…`);
          await dockerOk(app, ["pull", `${APP_REPOSITORY}:v1.0.0`], withDockerConfig);
        }
      },
      runArgs: [
        "--env-file",
        appEnvFile,
        "-v",
        "/srv/pixelfox/uploads:/app/uploads",
        "-v",
        "/srv/pixelfox/tmp:/app/tmp",
        "--stop-timeout",
        "10",
      ],
      cmd: [],
    },
    {
      host: app,
      name: "pxlfox-proxy",
      service: "proxy",
      image: "pxf/caddy:2",
      prepare: async () => {
        fs.mkdirSync(caddyConfigDir, { recursive: true });
        await importImage(app, "pxf/caddy:2", await buildCaddyImage());
      },
      // --resume: after a restart Caddy reloads the last config the panel set through the admin API
      // (autosaved under XDG_CONFIG_HOME), as a production Caddy with a persistent /config volume does.
      runArgs: ["-e", "XDG_CONFIG_HOME=/config", "-v", `${caddyConfigDir}:/config`],
      cmd: ["caddy", "run", "--config", "/etc/caddy/caddy.json", "--resume"],
    },
  ];
}

async function ensureContainer(c: ContainerSpec): Promise<void> {
  const ps = await dockerOk(c.host, [
    "ps",
    "-a",
    "--filter",
    `label=com.pixelfox.service=${c.service}`,
    "--filter",
    `label=com.pixelfox.stack=${STACK}`,
    "--format",
    "{{.Names}}\t{{.State}}",
  ]);
  const rows = ps
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split("\t"));
  if (rows.some(([, state]) => state === "running")) return; // a (possibly panel-deployed) container serves
  if (rows.some(([name]) => name === c.name)) {
    log(`starting stopped container ${c.name} on host ${c.host.name}`);
    await dockerOk(c.host, ["start", c.name]);
    return;
  }
  await c.prepare();
  log(`creating container ${c.name} on host ${c.host.name}`);
  await dockerOk(c.host, [
    "run",
    "-d",
    "--name",
    c.name,
    "--network",
    "host",
    "--restart",
    "always",
    ...labels(c.service),
    ...c.runArgs,
    c.image,
    ...c.cmd,
  ]);
}

// ---- health ---------------------------------------------------------------------------------------

function redisPing(host: string, port: number, password: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    let buf = "";
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(2000, () => done(false));
    s.on("connect", () => s.write(`*2\r\n$4\r\nAUTH\r\n$${Buffer.byteLength(password)}\r\n${password}\r\n*1\r\n$4\r\nPING\r\n`));
    s.on("data", (d) => {
      buf += d.toString();
      if (buf.includes("+PONG")) done(buf.startsWith("+OK"));
      else if (buf.startsWith("-")) done(false);
    });
    s.on("error", () => done(false));
  });
}

export function httpGet(url: string, timeoutMs = 3000): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs, agent: false }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

async function mariadbReady(host: string, password: string): Promise<boolean> {
  const r = await run("mariadb", ["-h", host, "-P", "3306", "-u", DB_USER, "--connect-timeout=2", "-D", DB_NAME, "-N", "-e", "SELECT 1"], {
    env: { ...process.env, MYSQL_PWD: password },
    timeoutMs: 5000,
  });
  return r.code === 0 && r.stdout.trim() === "1";
}

const containerHint = (h: HostSpec, name: string) => `\`docker -H unix:///run/pixelfox-fleet/${h.name}/docker.sock logs ${name}\``;

/**
 * If the proxy does not reach the app (e.g. a deploy was cut off and Caddy still dials the other
 * blue/green port), point Caddy at the port the running app container listens on. Only for the
 * sandbox: the panel does this itself through the admin API during deploys.
 */
async function repairProxyUpstream(app: HostSpec): Promise<void> {
  const ping = await httpGet(`http://${app.address}/api/v1/ping`).catch(() => ({ status: 0, body: "" }));
  if (ping.status === 200) return;
  const running = await docker(app, [
    "ps",
    "--filter",
    "label=com.pixelfox.service=app",
    "--filter",
    "status=running",
    "--format",
    "{{.Names}}",
  ]);
  const name = running.stdout.split("\n").find(Boolean);
  if (!name) return;
  const env = await docker(app, [
    "inspect",
    "--format",
    '{{index .Config.Labels "com.pixelfox.port"}} {{range .Config.Env}}{{println .}}{{end}}',
    name,
  ]);
  const label = env.stdout.split(/\s/)[0];
  const fromEnv = env.stdout.match(/^APP_PORT=(\d+)$/m)?.[1];
  const port = Number(label && /^\d+$/.test(label) ? label : (fromEnv ?? 4000));
  log(`proxy does not reach the app: pointing Caddy on host app at ${name} (127.0.0.1:${port})`);
  await run(
    "nsenter",
    [
      `--net=/var/run/netns/${app.netns}`,
      "curl",
      "-fsS",
      "-X",
      "PATCH",
      "-H",
      "Content-Type: application/json",
      "--data",
      JSON.stringify([{ dial: `127.0.0.1:${port}` }]),
      "http://127.0.0.1:2019/id/pixelfox_upstream/upstreams",
    ],
    { timeoutMs: 10_000 },
  );
}

export async function ensureContainers(s: Secrets): Promise<void> {
  for (const c of specs(s)) await ensureContainer(c);
  const db = hostWithRole("db"),
    cache = hostWithRole("cache"),
    app = hostWithRole("app");
  await repairProxyUpstream(app);
  await Promise.all([
    waitFor(
      `MariaDB on host db (${db.address}:3306 as ${DB_USER})`,
      () => mariadbReady(db.address, s.dbPassword),
      120_000,
      containerHint(db, "pxlfox-db"),
    ),
    waitFor(
      `Redis on host cache (${cache.address}:6379 PING)`,
      () => redisPing(cache.address, 6379, s.cachePassword),
      30_000,
      containerHint(cache, "pxlfox-cache"),
    ),
  ]);
  // The app connects to MariaDB (5 tries, 5 s apart) and Redis before it listens, and exits (to be
  // restarted by Docker) when they are not up yet, as on a first run: wait for it after them.
  await waitFor(
    `Caddy proxying /api/v1/ping to the app on host app (http://${app.address}/api/v1/ping)`,
    async () => {
      const r = await httpGet(`http://${app.address}/api/v1/ping`);
      return r.status === 200 && r.body.includes('"pong"');
    },
    90_000,
    `${containerHint(app, "pxlfox-proxy")} and ${containerHint(app, "pxlfox-app")}`,
  );
}
