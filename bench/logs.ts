/**
 * `npm run bench -- logs`: the panel's log stream against `ssh <host> docker logs` for a container
 * that has written 1,000,000 lines, on the cache host of the sandbox fleet. Prints figures only.
 * Runs the panel's service in-process (same code path as GET /api/logs/stream, minus HTTP).
 */
import { execFile } from "node:child_process";
import { countDaemonLogRequests, readDockerLog, removeLogContainer, startLogContainer } from "@/e2e/3-logs/log-fixtures";
import { getSshPool } from "@/server/adapters/ssh/pool";
import { loadFleet } from "@/server/adapters/ssh/test-fleet";
import { createDockerLogOpener } from "@/server/services/logs/docker-log-source";
import { openSharedLogStream } from "@/server/services/logs/log-hub";
import { ZLogStreamQuery } from "@/server/services/logs/query";

const NAME = "pxf-logtest-bench";
const LINES = 1_000_000;

async function timePanel(hostId: string, open: ReturnType<typeof createDockerLogOpener>) {
  const started = performance.now();
  const body = await openSharedLogStream(hostId, ZLogStreamQuery.parse({ host: "cache", container: NAME, tail: "all" }), open);
  const reader = body.getReader();
  let first = 0;
  let lines = 0;
  let peakRss = process.memoryUsage().rss;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!first) first = performance.now() - started;
    for (const b of value) if (b === 10) lines++;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  return { ms: performance.now() - started, first, lines: lines - 1, peakRss };
}

function timeSsh(keyPath: string, address: string): Promise<{ ms: number; first: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    let lines = 0;
    const child = execFile("ssh", ["-i", keyPath, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", `root@${address}`, "docker", "logs", NAME], { maxBuffer: 1 << 30 });
    const count = (chunk: Buffer | string) => {
      if (!first) first = performance.now() - started;
      for (const c of chunk.toString()) if (c === "\n") lines++;
    };
    child.stdout?.on("data", count);
    child.stderr?.on("data", count);
    child.on("error", reject);
    child.on("close", () => resolve({ ms: performance.now() - started, first, lines }));
  });
}

export async function main(): Promise<void> {
  const fleet = await loadFleet();
  const cache = fleet.host("cache");
  const socket = cache.dockerSocket;
  console.log(`writing ${LINES.toLocaleString("en-US")} lines in ${NAME} on the cache host…`);
  await startLogContainer(socket, NAME, `i=1; while [ $i -le ${LINES} ]; do echo "bench line $i with some payload text"; i=$((i+1)); done; exec sleep 100000`);
  for (;;) {
    const frames = await readDockerLog(socket, NAME).catch(() => []);
    const last = frames.at(-1)?.payload.toString() ?? "";
    if (last.includes(`bench line ${LINES} `)) break;
    await new Promise((r) => setTimeout(r, 2_000));
  }
  const target = fleet.target("cache");
  const open = createDockerLogOpener(target, NAME);
  const rssBefore = process.memoryUsage().rss;
  await timePanel(target.hostId, open); // warm-up: connection + JIT
  const panel = await timePanel(target.hostId, open);
  const ssh = await timeSsh(cache.privateKeyPath, cache.sshHost);
  const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString("en-US");
  console.log(`panel stream : ${panel.lines.toLocaleString("en-US")} lines in ${panel.ms.toFixed(0)} ms = ${rate(panel.lines, panel.ms)} lines/s; first line after ${panel.first.toFixed(0)} ms`);
  console.log(`ssh docker logs: ${ssh.lines.toLocaleString("en-US")} lines in ${ssh.ms.toFixed(0)} ms = ${rate(ssh.lines, ssh.ms)} lines/s; first line after ${ssh.first.toFixed(0)} ms`);
  console.log(`ratio (panel lines/s ÷ ssh lines/s): ${((panel.lines / panel.ms) / (ssh.lines / ssh.ms)).toFixed(2)}`);
  console.log(`server RSS: before ${(rssBefore / 2 ** 20).toFixed(0)} MiB, peak during the stream ${(panel.peakRss / 2 ** 20).toFixed(0)} MiB (growth ${((panel.peakRss - rssBefore) / 2 ** 20).toFixed(0)} MiB)`);
  console.log(`remote logs requests still open after the run: ${await countDaemonLogRequests(socket)}`);
  console.log("browser frame time while 1,000,000 lines stream in: not measured here (see the e2e load test's long-task figures)");
  getSshPool().closeAll();
  await removeLogContainer(socket, NAME);
}
