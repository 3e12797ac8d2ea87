/**
 * Go-live benchmark: time from "Go live" on four bare hosts (db, cache, app + Caddy, storage node) to a
 * passing smoke test, against the same steps done by hand over SSH (docker run of each role, the
 * waits, migrate up, curl) in the same run; then the time an adoption of the plan-laid stack takes and
 * the failed requests during the first deploy after it. Prints figures; asserts nothing.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-bench-golive-"));
process.env.PANEL_DATA_DIR = dataDir;
process.env.PANEL_SECRET ??= "bench-secret-0123456789abcdef0123456789";
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

type FleetHost = { name: string; sshHost: string; privateKeyPath: string };

function ssh(host: FleetHost, script: string, input?: string): { code: number; out: string } {
  const r = spawnSync(
    "ssh",
    [
      "-i",
      host.privateKeyPath,
      "-o",
      "StrictHostKeyChecking=no",
      "-o",
      "UserKnownHostsFile=/dev/null",
      "-o",
      "LogLevel=ERROR",
      "-o",
      "BatchMode=yes",
      `root@${host.sshHost}`,
      script,
    ],
    { encoding: "utf8", input },
  );
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

async function until(what: string, check: () => boolean, timeoutMs = 180_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`manual baseline: ${what} did not happen within ${timeoutMs / 1000} s`);
}

/** What an operator does by hand over SSH for the same layout, corrected as the panel corrects it. */
async function manualGoLive(
  hosts: Record<string, FleetHost>,
  images: { db: string; cache: string; caddy: string },
  appImage: string,
  seedSql: string,
  registry: { host: string; username: string; password: string },
): Promise<number> {
  const [db, cache, app, storage] = [hosts.bare1!, hosts.bare2!, hosts.bare3!, hosts.bare4!];
  const pw = {
    root: "manualroot0123456789abcd",
    db: "manualdb0123456789abcdef",
    cache: "manualcache0123456789ab",
    upload: "u".repeat(40),
    repl: "r".repeat(40),
  };
  const t0 = performance.now();
  const must = (h: FleetHost, s: string, input?: string) => {
    const r = ssh(h, s, input);
    if (r.code !== 0) throw new Error(`manual baseline on ${h.name} failed: ${s.slice(0, 80)}: ${r.out}`);
    return r.out;
  };
  // Each host logs in to the registry first, as an operator's first step on a new VPS (counted).
  for (const h of [db, cache, app, storage])
    must(h, `docker login -u ${registry.username} --password-stdin ${registry.host} >/dev/null`, registry.password);
  must(
    db,
    `mkdir -p /srv/mysql/data && docker pull -q ${images.db} >/dev/null && docker run -d --name pxlfox-db --restart always -p ${db.sshHost}:3306:3306 -e MYSQL_ROOT_PASSWORD=${pw.root} -e MYSQL_DATABASE=pixelfox_db -e MYSQL_USER=pixelfox -e MYSQL_PASSWORD=${pw.db} -v /srv/mysql/data:/var/lib/mysql ${images.db}`,
  );
  must(
    cache,
    `mkdir -p /srv/dragonfly/data && docker pull -q ${images.cache} >/dev/null && docker run -d --name pxlfox-cache --restart always -p ${cache.sshHost}:6379:6379 -e DFLY_requirepass=${pw.cache} -v /srv/dragonfly/data:/data ${images.cache} dragonfly --cache_mode=true`,
  );
  await until(
    "MariaDB answers",
    () => ssh(db, `docker exec -e MYSQL_PWD=${pw.db} pxlfox-db mariadb -upixelfox -h127.0.0.1 -e 'SELECT 1' pixelfox_db`).code === 0,
  );
  await until("the cache answers", () =>
    ssh(cache, `docker exec pxlfox-cache redis-cli -a ${pw.cache} --no-auth-warning ping`).out.includes("PONG"),
  );
  const env = [
    `PUBLIC_DOMAIN=http://${app.sshHost}`,
    "APP_ENV=prod",
    "APP_HOST=0.0.0.0",
    "APP_PORT=4000",
    `DB_HOST=${db.sshHost}`,
    "DB_NAME=pixelfox_db",
    "DB_USER=pixelfox",
    `DB_PASSWORD=${pw.db}`,
    `CACHE_HOST=${cache.sshHost}`,
    "CACHE_PORT=6379",
    `CACHE_PASSWORD=${pw.cache}`,
    `UPLOAD_TOKEN_SECRET=${pw.upload}`,
    `REPLICATION_SECRET=${pw.repl}`,
  ].join("\n");
  const appRun = (h: FleetHost, ip: string, name: string, extra: string) =>
    must(
      h,
      `mkdir -p /srv/pixelfox/uploads /srv/pixelfox/tmp && umask 077 && cat > /srv/pixelfox/.env && docker pull -q ${appImage} >/dev/null && docker run -d --name ${name} --restart always -p ${ip}:4000:4000 --env-file /srv/pixelfox/.env ${extra} -v /srv/pixelfox/uploads:/app/uploads -v /srv/pixelfox/tmp:/app/tmp ${appImage}`,
      env + "\n",
    );
  appRun(app, "127.0.0.1", "pxlfox-app", "");
  await until("the app answers its ping", () => ssh(app, "curl -fsS -m 2 http://127.0.0.1:4000/api/v1/ping").out.includes("pong"));
  must(
    db,
    `docker exec -i -e MYSQL_PWD=${pw.db} pxlfox-db mariadb -upixelfox -h127.0.0.1 pixelfox_db`,
    `${seedSql}\nCREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);\nINSERT INTO schema_migrations VALUES (1, 0);\n`,
  );
  appRun(storage, storage.sshHost, "pxlfox-storage", "-e NODE_ID=bare4");
  await until("the storage node answers", () =>
    ssh(storage, `curl -fsS -m 2 http://${storage.sshHost}:4000/api/v1/ping`).out.includes("pong"),
  );
  const caddyfile = `{\n\tadmin 127.0.0.1:2019\n}\nhttp://${app.sshHost} {\n\treverse_proxy 127.0.0.1:4000\n}\n`;
  must(
    app,
    `mkdir -p /srv/caddy/data /srv/caddy/config && cat > /srv/caddy/Caddyfile && docker pull -q ${images.caddy} >/dev/null && docker run -d --name pxlfox-proxy --restart always --network host -v /srv/caddy/Caddyfile:/etc/caddy/Caddyfile -v /srv/caddy/data:/data -v /srv/caddy/config:/config ${images.caddy}`,
    caddyfile,
  );
  await until(
    "ping through the proxy",
    () =>
      ssh(app, `curl -fsS -m 2 http://${app.sshHost}/api/v1/ping`).out.includes("pong") &&
      ssh(app, `curl -fsS -m 2 -o /dev/null http://${app.sshHost}/`).code === 0,
  );
  return performance.now() - t0;
}

export async function main(): Promise<void> {
  const { readFleetStatus, resetBare, resetPlan } = await import("../fleet/lib/index");
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env: process.env, stdio: "ignore" });
  const { importFleet } = await import("../scripts/import-fleet");
  const { db } = await import("@/server/db");
  const { CLI_ACTOR } = await import("@/server/services/auth/actor");
  const { createStack } = await import("@/server/services/inventory/stacks");
  const { createService } = await import("@/server/services/inventory/services");
  const { startGoLive } = await import("@/server/services/golive/go-live");
  const { startAdoption } = await import("@/server/services/golive/adopt");
  const { startDeployment } = await import("@/server/services/deploy/start-deployment");

  const fleet = await readFleetStatus();
  await importFleet({ plan: true, bare: true });
  const hosts = Object.fromEntries(fleet.hosts.map((h) => [h.name, h]));
  const ids = Object.fromEntries((await db.host.findMany()).map((h) => [h.name, h.id]));
  const waitJob = async (jobId: string) => {
    for (;;) {
      const j = await db.job.findUnique({ where: { id: jobId } });
      if (j && ["succeeded", "failed", "cancelled", "interrupted"].includes(j.status)) {
        if (j.status !== "succeeded") throw new Error(`job ${jobId} ${j.status}: ${j.error}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const seed = fs.readFileSync(path.join(process.cwd(), "fleet/images/app/migrations-v2/000001_init.up.sql"), "utf8");
  const appImage = `${fleet.registry.repository}:v2.0.0`;
  const panel: number[] = [];
  const manual: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    await resetBare();
    const st = await createStack(
      {
        name: `bench-golive-${run}`,
        publicDomain: `http://${hosts.bare3!.sshHost}`,
        imageRepository: fleet.registry.repository,
        registryUrl: fleet.registry.url,
        registryUsername: fleet.registry.username,
        registryPassword: fleet.registry.password,
        healthPath: "/api/v1/ping",
      },
      CLI_ACTOR,
    );
    await db.stack.update({
      where: { id: st.id },
      data: {
        goLiveSettings: JSON.stringify({ images: fleet.roleImages, smokeSteps: ["ping", "home", "account", "upload", "direct-upload"] }),
      },
    });
    for (const [kind, host, name] of [
      ["db", "bare1", "pxlfox-db"],
      ["cache", "bare2", "pxlfox-cache"],
      ["app", "bare3", "pxlfox-app"],
      ["proxy", "bare3", "pxlfox-proxy"],
      ["storage", "bare4", "pxlfox-storage"],
    ] as const) {
      await createService({ stackId: st.id, hostId: ids[host]!, kind, containerName: name, settings: {} }, CLI_ACTOR);
    }
    const t0 = performance.now();
    await waitJob((await startGoLive({ stack: st.name, tag: "v2.0.0" }, CLI_ACTOR)).jobId);
    panel.push(performance.now() - t0);
    await resetBare();
    manual.push(await manualGoLive(hosts, fleet.roleImages, appImage, seed, fleet.registry));
    console.log(`run ${run}: panel ${fmt(panel.at(-1)!)} (go live to a passing smoke test), by hand over SSH ${fmt(manual.at(-1)!)}`);
  }
  await resetBare();
  console.log(
    `go-live on four bare hosts: panel ${fmt(median(panel))} vs by hand ${fmt(median(manual))}: ratio ${(median(panel) / median(manual)).toFixed(2)} (target ≤ 1.2; the panel also runs preflight, the full smoke tests and the storage pool check)`,
  );

  await resetPlan();
  const t1 = performance.now();
  await waitJob((await startAdoption("plan", CLI_ACTOR)).jobId);
  const adoptMs = performance.now() - t1;
  let sent = 0;
  let failed = 0;
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      sent++;
      // Asynchronous, so the deployment running in this process is never held up by the probe.
      const code = await execFileAsync("curl", [
        "-s",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-m",
        "3",
        `http://${hosts["plan-app"]!.sshHost}/api/v1/ping`,
      ]).then(
        (r) => r.stdout,
        () => "error",
      );
      if (code !== "200") failed++;
      await new Promise((res) => setTimeout(res, 20));
    }
  })();
  await waitJob((await startDeployment({ stack: "plan", tag: "v2.1.0" }, CLI_ACTOR)).jobId);
  stop = true;
  await loop;
  console.log(`adoption of the plan-laid stack: ${fmt(adoptMs)}; first deploy after it: ${sent} requests, ${failed} failed (target 0)`);
  await resetPlan();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
