/**
 * Deploy benchmark: time from request to healthy-and-switched for the panel, against a baseline doing
 * the same by hand over SSH (docker pull, docker run, curl the ping until it answers), on the same
 * fleet in the same run. Prints medians and the ratio.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-bench-deploy-"));
process.env.PANEL_DATA_DIR = dataDir;
process.env.PANEL_SECRET ??= "bench-secret-0123456789abcdef0123456789";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function ssh(host: { sshHost: string; privateKeyPath: string }, argv: string[], input?: string) {
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
      ...argv,
    ],
    { encoding: "utf8", input },
  );
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

async function baselineOnce(host: Parameters<typeof ssh>[0], image: string, port: number): Promise<number> {
  const name = `pxf-bench-manual-${port}`;
  ssh(host, ["docker", "rm", "-f", name]);
  const t0 = performance.now();
  if (ssh(host, ["docker", "pull", "-q", image]).code !== 0) throw new Error(`manual pull of ${image} failed`);
  const run = ssh(host, [
    "docker",
    "run",
    "-d",
    "--name",
    name,
    "--network",
    "host",
    "-e",
    "APP_HOST=127.0.0.1",
    "-e",
    `APP_PORT=${port}`,
    image,
  ]);
  if (run.code !== 0) throw new Error(`manual docker run failed: ${run.out}`);
  for (let i = 0; i < 200; i++) {
    if (ssh(host, ["curl", "-fsS", "--max-time", "1", `http://127.0.0.1:${port}/api/v1/ping`]).code === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ms = performance.now() - t0;
  ssh(host, ["docker", "rm", "-f", name]);
  return ms;
}

export async function main() {
  execFileSync("npx", ["prisma", "migrate", "deploy"], { stdio: "ignore", env: process.env });
  const { readFleetStatus } = await import("../fleet/lib/index");
  const { importFleet } = await import("../scripts/import-fleet");
  const { startDeployment } = await import("../server/services/deploy/start-deployment");
  const { waitForJob } = await import("../server/jobs/queries");
  const { updateDeploySettings } = await import("../server/services/inventory/stacks");
  const { CLI_ACTOR } = await import("../server/services/auth/actor");
  const { ZDeploySettings } = await import("../server/domain/deploy");

  const fleet = await readFleetStatus();
  if (!fleet.up) throw new Error("the sandbox fleet is not up: npm run fleet -- up");
  const app = fleet.hosts.find((h) => h.name === "app");
  if (!app) throw new Error("no app host in the fleet");
  await importFleet();
  await updateDeploySettings("pixelfox", ZDeploySettings.parse({ healthIntervalMs: 100 }), CLI_ACTOR);
  ssh(app, ["docker", "login", "-u", fleet.registry.username, "--password-stdin", fleet.registry.host], fleet.registry.password);

  const panel: { switched: number; total: number }[] = [];
  const manual: number[] = [];
  const tags = ["v1.1.0", "v1.0.0"];
  for (let i = 0; i < RUNS; i++) {
    const tag = tags[i % 2] ?? "v1.0.0";
    const t0 = performance.now();
    const startedAt = Date.now();
    const { jobId } = await startDeployment({ stack: "pixelfox", tag }, CLI_ACTOR);
    const job = await waitForJob(jobId, { timeoutMs: 120_000, pollMs: 50 });
    if (job.status !== "succeeded") throw new Error(`panel deploy of ${tag} ${job.status}: ${job.error}`);
    const switchedAt = job.steps.find((s) => s.key === "switch:app")?.endedAt;
    panel.push({ switched: (switchedAt ? new Date(switchedAt).getTime() : Date.now()) - startedAt, total: performance.now() - t0 });
    manual.push(await baselineOnce(app, `${fleet.registry.repository}:${tag}`, 4002));
  }
  const p = median(panel.map((x) => x.switched));
  const m = median(manual);
  console.log(`deploy benchmark (${RUNS} runs each, medians; images already on the host after the first pull)`);
  console.log(
    `  panel   request → healthy and switched: ${fmt(p)}   (whole job incl. drain + retire + smoke: ${fmt(median(panel.map((x) => x.total)))})`,
  );
  console.log(`  manual  ssh docker pull + run + curl ping until pong: ${fmt(m)}`);
  console.log(`  ratio   panel / manual = ${(p / m).toFixed(2)}  (the panel also switches the proxy; the manual path does not)`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
