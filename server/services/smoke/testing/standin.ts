import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * The stand-in PixelFox app (fleet/images/app/go) with a private MariaDB and Redis, as
 * fleet/images/app/go/selftest.sh runs them: loopback only, random high ports, data in a temp dir,
 * no system service, no fleet. Everything started here is stopped by `stop()`.
 */
const GO_DIR = path.join(process.cwd(), "fleet/images/app/go");
export const STANDIN_TOOLS = [
  "/usr/bin/go",
  "/usr/sbin/mariadbd",
  "/usr/bin/mariadb-install-db",
  "/usr/bin/mariadb",
  "/usr/bin/redis-server",
];

export function standinMissingTool(): string | null {
  return STANDIN_TOOLS.find((t) => !existsSync(t)) ?? null;
}

/** Builds the binary once per source hash into the temp dir (build.sh: GOPATH mode, Debian's Go libraries, no download). */
export function buildStandin(): string {
  const files = readdirSync(GO_DIR)
    .filter((f) => f.endsWith(".go") || f === "build.sh")
    .sort();
  const hash = createHash("sha256");
  for (const f of files) hash.update(f).update(readFileSync(path.join(GO_DIR, f)));
  const dir = path.join(os.tmpdir(), "pixelfox-ops-smoke-test");
  const out = path.join(dir, `pixelfox-app-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const r = spawnSync("sh", [path.join(GO_DIR, "build.sh"), out], { encoding: "utf8", timeout: 180_000 });
  if (r.status !== 0) {
    throw new Error(
      `building the stand-in failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}\nInstall: apt-get install -y golang-go golang-github-go-sql-driver-mysql-dev golang-github-gomodule-redigo-dev golang-golang-x-crypto-dev golang-github-joho-godotenv-dev`,
    );
  }
  return out;
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function waitFor(
  what: string,
  ok: () => boolean | Promise<boolean>,
  child: ChildProcess,
  ms: number,
  log: () => string,
): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}): ${log().slice(-1500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up within ${ms} ms: ${log().slice(-1500)}`);
}

const readLog = (file: string) => () => (existsSync(file) ? readFileSync(file, "utf8") : "");

export interface Standin {
  work: string;
  dbPort: number;
  redisPort: number;
  db: { user: string; password: string; database: string };
  /** Runs SQL as root over the socket (setup only). */
  rootSql(sql: string): void;
  startApp(env: Record<string, string>): Promise<{ port: number; stop(): Promise<void>; stderr(): string }>;
  stopRedis(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStandin(): Promise<Standin> {
  const work = mkdtempSync(path.join(os.tmpdir(), "smoke-standin-"));
  const children: ChildProcess[] = [];
  const [dbPort, redisPort] = [await freePort(), await freePort()];
  const sock = path.join(work, "db.sock");
  const db = { user: "pixelfox", password: "db-secret-smoke", database: "px_smoke" };
  const redisPassword = "cache-secret-smoke";

  const stopChild = (c: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      const kill = setTimeout(() => c.kill("SIGKILL"), 5_000);
      c.once("exit", () => (clearTimeout(kill), resolve()));
      c.kill("SIGTERM");
    });
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    rmSync(work, { recursive: true, force: true });
  };

  try {
    mkdirSync(path.join(work, "db"));
    mkdirSync(path.join(work, "redis"));
    const install = spawnSync(
      "mariadb-install-db",
      ["--no-defaults", `--datadir=${work}/db`, "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db"],
      { encoding: "utf8", timeout: 60_000 },
    );
    if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stdout.slice(-800)}${install.stderr.slice(-800)}`);
    const mariadb = spawn(
      "mariadbd",
      [
        "--no-defaults",
        `--datadir=${work}/db`,
        `--socket=${sock}`,
        `--port=${dbPort}`,
        "--bind-address=127.0.0.1",
        "--user=root",
        "--skip-name-resolve",
        `--pid-file=${work}/db.pid`,
        `--log-error=${work}/db.err`,
        "--innodb-buffer-pool-size=32M",
        "--character-set-server=utf8mb4",
        "--collation-server=utf8mb4_unicode_ci",
      ],
      { stdio: "ignore" },
    );
    children.push(mariadb);
    const redis = spawn(
      "redis-server",
      [
        "--port",
        String(redisPort),
        "--bind",
        "127.0.0.1",
        "--requirepass",
        redisPassword,
        "--dir",
        `${work}/redis`,
        "--save",
        "",
        "--appendonly",
        "no",
      ],
      { stdio: "ignore" },
    );
    children.push(redis);
    const rootSql = (sql: string) => {
      const r = spawnSync("mariadb", ["--no-defaults", `--socket=${sock}`, "-uroot", "-N", "-B", "-e", sql], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`SQL failed: ${r.stderr}`);
    };
    const dbUp = () =>
      spawnSync("mariadb", ["--no-defaults", `--socket=${sock}`, "-uroot", "-e", "SELECT 1"], { stdio: "ignore" }).status === 0;
    await waitFor("the private MariaDB", dbUp, mariadb, 30_000, readLog(`${work}/db.err`));
    await waitFor(
      "the private Redis",
      () => tcpOpen(redisPort),
      redis,
      10_000,
      () => "",
    );
    rootSql(
      `CREATE DATABASE ${db.database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; CREATE USER '${db.user}'@'%' IDENTIFIED BY '${db.password}'; GRANT ALL PRIVILEGES ON \`px\\_%\`.* TO '${db.user}'@'%';`,
    );

    const bin = buildStandin();
    return {
      work,
      dbPort,
      redisPort,
      db,
      rootSql,
      async startApp(env) {
        const port = await freePort();
        const dir = path.join(work, "run", "a", "b", `app-${port}`);
        mkdirSync(path.join(dir, "uploads"), { recursive: true });
        const errFile = path.join(dir, "stderr.log");
        const out = openSync(errFile, "w");
        const app = spawn(bin, [], {
          cwd: dir,
          stdio: ["ignore", "ignore", out],
          // A clean environment (nothing of the test runner's): the app reads many variables.
          env: {
            NODE_ENV: "test",
            PATH: "/usr/bin:/bin",
            APP_HOST: "127.0.0.1",
            APP_PORT: String(port),
            APP_ENV: "test",
            APP_VERSION_OVERRIDE: "v2.0.0-smoke",
            PXF_UPLOAD_DIR: path.join(dir, "uploads"),
            DB_HOST: "127.0.0.1",
            DB_PORT: String(dbPort),
            DB_NAME: db.database,
            DB_USER: db.user,
            DB_PASSWORD: db.password,
            CACHE_HOST: "127.0.0.1",
            CACHE_PORT: String(redisPort),
            CACHE_PASSWORD: redisPassword,
            PXF_DB_TRIES: "3",
            PXF_DB_RETRY_MS: "200",
            PXF_CACHE_TRIES: "2",
            PXF_CACHE_RETRY_MS: "200",
            ...env,
          },
        });
        children.push(app);
        const stderr = readLog(errFile);
        await waitFor("the stand-in app", () => stderr().includes('msg="listening"'), app, 20_000, stderr);
        return { port, stderr, stop: () => stopChild(app) };
      },
      stopRedis: () => stopChild(redis),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

/**
 * A tiny reverse proxy (the stack's Caddy in miniature), started before the app so PUBLIC_DOMAIN
 * can name it; it can be told to serve thumbnails with a wrong content type.
 */
export interface TinyProxy {
  port: number;
  upstreamPort: number;
  faults: { thumbnailType?: string };
  close(): Promise<void>;
}

export async function startProxy(): Promise<TinyProxy> {
  const proxy: TinyProxy = { port: 0, upstreamPort: 0, faults: {}, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const up = http.request(
      { host: "127.0.0.1", port: proxy.upstreamPort, method: req.method, path: req.url, headers: req.headers, agent: false },
      (answer) => {
        const headers = { ...answer.headers };
        if (proxy.faults.thumbnailType && req.url?.startsWith("/uploads/variants/")) headers["content-type"] = proxy.faults.thumbnailType;
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    up.on("error", () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  proxy.port = (server.address() as AddressInfo).port;
  proxy.close = () => {
    server.closeAllConnections();
    return new Promise((r) => server.close(() => r()));
  };
  return proxy;
}
