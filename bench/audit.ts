/**
 * Audit benchmark: the time to read the security baseline of 10, 25 and 50 sandbox hosts (one SSH exec of
 * the collect script, Docker's containers, TCP connects from the panel) with the panel's pooled connections,
 * beside the same reads by hand in the same run (`ssh host sh -c <script>` and `ssh host docker inspect …`,
 * a new OpenSSH connection each, all hosts in parallel). Figures only, no assertion.
 * Uses the fleet's core hosts plus its extra plain hosts: `npm run fleet -- up --extra 47` first.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fleetHosts, targetOf, timed } from "./fleet-targets";
import { promisify } from "node:util";
import { createSshDocker } from "@/server/adapters/docker";
import { execCommand } from "@/server/adapters/ssh/exec";
import { SshPool } from "@/server/adapters/ssh/pool";
import { createAuditPorts, type AuditPorts } from "@/server/services/security-audit/audit-ports";
import { collectHost } from "@/server/services/security-audit/collect-host";
import { HOST_AUDIT_SCRIPT } from "@/server/services/security-audit/collect-script";

const run = promisify(execFile);
const SIZES = (process.env.BENCH_SIZES ?? "10,25,50").split(",").map(Number);
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function sshArgs(h: { privateKeyPath: string; sshPort: number; user: string; sshHost: string }): string[] {
  return [
    "-i",
    h.privateKeyPath,
    "-p",
    String(h.sshPort),
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "LogLevel=ERROR",
    `${h.user}@${h.sshHost}`,
    "--",
  ];
}
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

export async function main() {
  // Hosts without Docker (bare-nodocker, made for the go-live preflight) would only time a refusal.
  const hosts = (await fleetHosts("npm run fleet -- up --extra 47")).filter((h) => h.docker !== "none");
  const key = readFileSync(hosts[0]!.privateKeyPath, "utf8");
  console.log(`fleet: ${hosts.length} hosts with Docker`);
  console.log(
    "hosts | panel, first audit (connects) | panel, next audit (pooled) | by hand: ssh per read, in parallel | ratio (by hand / pooled) | SSH connections per host",
  );
  for (const size of SIZES) {
    if (size > hosts.length) {
      console.log(`${size} | skipped: the fleet has only ${hosts.length} hosts (npm run fleet -- up --extra ${size - 3})`);
      continue;
    }
    const subset = hosts.slice(0, size);
    const pool = new SshPool();
    const base = createAuditPorts(createSshDocker(pool));
    const ports: AuditPorts = { ...base, exec: (t, argv, o) => execCommand(t, argv, { ...o, pool }) };
    const audit = () =>
      Promise.all(
        subset.map((h) =>
          collectHost(
            ports,
            targetOf(h, key),
            { name: h.name, address: h.sshHost, privateAddress: null, sshPort: h.sshPort, sshUser: h.user, roles: ["app"] },
            [],
          ),
        ),
      );
    const cold = await timed(audit);
    const warm = await timed(audit);
    const connections = subset.reduce((n, h) => n + pool.stats(`bench-${h.name}`).connectionsOpened, 0) / size;
    pool.closeAll();
    const byHand = await timed(() =>
      Promise.all(
        subset.map(async (h) => {
          await run("ssh", [...sshArgs(h), `sh -c ${quote(HOST_AUDIT_SCRIPT)}`], { maxBuffer: 64 * 1024 * 1024 }).catch(
            (e: { stdout?: string }) => e,
          );
          await run("ssh", [...sshArgs(h), "docker ps -aq | xargs -r docker inspect"], { maxBuffer: 64 * 1024 * 1024 });
        }),
      ),
    );
    const unread = warm.value.filter((c) => c.facts.containers === null).length;
    console.log(
      `${size} | ${fmt(cold.ms)} | ${fmt(warm.ms)} | ${fmt(byHand.ms)} | ${(byHand.ms / warm.ms).toFixed(2)}× | ${connections.toFixed(1)}` +
        (unread ? `  [${unread} host(s) without a Docker reading]` : ""),
    );
  }
}
