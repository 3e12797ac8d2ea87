import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { dockerApi, fleetHost, fleetStatus } from "../support/fleet";
import { E2E_DATA_DIR } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { rootSql } from "./db-fixtures";

/** The e2e panel's backup store (PANEL_BACKUP_DIR is not set for it). */
export const BACKUP_DIR = path.join(E2E_DATA_DIR, "backups");

export type Backup = {
  id: string;
  kind: string;
  hostName: string | null;
  status: string;
  reason: string;
  verified: boolean;
  error: string | null;
  jobId: string | null;
  sha256: string | null;
  rowCounts: Record<string, number>;
  drillStatus: string | null;
};
type Service = {
  id: string;
  stackId: string;
  hostId: string;
  kind: string;
  containerName: string;
  settings: Record<string, string | number | boolean>;
};

export async function listBackups(request: APIRequestContext): Promise<Backup[]> {
  return trpcQuery<Backup[]>(request, "backups.list", { stack: "pixelfox" });
}

/**
 * A scratch database of `rows` rows (≈ 55 MB of SQL for 400k), readable by the app user, with the
 * stack's db service pointed at it, so a backup dumps for seconds. `restore()` puts everything back.
 */
export async function useScratchDatabase(
  request: APIRequestContext,
  name: string,
  rows = 400_000,
): Promise<{ restore: () => Promise<void> }> {
  const appUser = fleetStatus().stack.db.user;
  await rootSql(
    `DROP DATABASE IF EXISTS ${name}; CREATE DATABASE ${name}; CREATE TABLE ${name}.items (id INT PRIMARY KEY, h CHAR(64), note VARCHAR(200)) ENGINE=InnoDB;`,
  );
  await rootSql(`USE ${name}; INSERT INTO items SELECT seq, SHA2(seq, 256), CONCAT('row ', seq, ' ', MD5(RAND())) FROM seq_1_to_${rows};`);
  const userHost = (await rootSql(`SELECT host FROM mysql.user WHERE user = '${appUser}' LIMIT 1`)).trim();
  await rootSql(`GRANT SELECT ON ${name}.* TO '${appUser}'@'${userHost}'`);
  const { services } = await trpcQuery<{ services: Service[] }>(request, "stack.get", { idOrName: "pixelfox" });
  const dbService = services.find((s) => s.kind === "db")!;
  const update = (settings: Service["settings"]) =>
    trpcMutation(request, "service.update", {
      id: dbService.id,
      stackId: dbService.stackId,
      hostId: dbService.hostId,
      kind: "db",
      containerName: dbService.containerName,
      settings,
    });
  await update({ ...dbService.settings, database: name });
  return {
    restore: async () => {
      await update(dbService.settings);
      await rootSql(`REVOKE SELECT ON ${name}.* FROM '${appUser}'@'${userHost}'; DROP DATABASE IF EXISTS ${name};`).catch(() => undefined);
    },
  };
}

function ss(args: string[], netns?: string): string {
  const argv = netns ? ["netns", "exec", netns, "ss", ...args] : args;
  return execFileSync(netns ? "ip" : "ss", argv, { encoding: "utf8" });
}

const pidsOf = (line: string) => [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));

/**
 * Kills (SIGKILL) the sshd processes on a fleet host that serve the e2e panel's SSH connections, so
 * the TCP connection really drops mid-stream. Only this panel's connections: the panel is found by
 * its listening port, its connections to the host's sshd by their local ports, and the sshd side of
 * each in the host's network namespace. Returns the pids killed.
 */
export function dropPanelSshConnections(hostName: string, panelPort: number): number[] {
  const host = fleetHost(hostName);
  const panelPids = new Set(
    ss(["-Hltnp", `sport = :${panelPort}`])
      .split("\n")
      .flatMap(pidsOf),
  );
  if (panelPids.size === 0) throw new Error(`no process listens on the e2e panel's port ${panelPort}`);
  const localPorts = ss(["-Htnp", "state", "established", `dst ${host.sshHost}:${host.sshPort}`])
    .split("\n")
    .filter((line) => pidsOf(line).some((p) => panelPids.has(p)))
    .map((line) => Number(/:(\d+)\s+\S+:\d+\s/.exec(line)?.[1]))
    .filter((p) => p > 0);
  const killed = new Set<number>();
  for (const port of localPorts) {
    for (const pid of ss(["-Htnp", "state", "established", `( sport = :${host.sshPort} and dport = :${port} )`], host.netns)
      .split("\n")
      .flatMap(pidsOf)) {
      process.kill(pid, "SIGKILL");
      killed.add(pid);
    }
  }
  return [...killed];
}

/** Command lines of the processes in a fleet container that match `pattern` (Docker's `top`). */
export async function containerProcesses(hostName: string, container: string, pattern: RegExp): Promise<string[]> {
  const res = await dockerApi<{ Titles: string[]; Processes: string[][] }>(
    fleetHost(hostName).dockerSocket,
    "GET",
    `/containers/${container}/top`,
  );
  if (res.status !== 200) throw new Error(`docker top ${container}: ${res.status}`);
  return res.body.Processes.map((p) => p.join(" ")).filter((line) => pattern.test(line));
}

/** Names and sizes of the files in a directory (to check nothing in it was lost). */
export function listFiles(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of readdirSync(dir)) out[name] = statSync(path.join(dir, name)).size;
  return out;
}

/** Mounts a tmpfs of `size` over `dir` (root only); returns an unmount that also works after a failure. */
export function mountSmallDisk(dir: string, size: string): () => void {
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700`, "pxf-e2e-full-disk", dir]);
  return () => {
    try {
      execFileSync("umount", [dir]);
    } catch {
      execFileSync("umount", ["-l", dir]); // busy: detach now, freed when the last file closes
    }
  };
}

/** Whether a tmpfs from mountSmallDisk is still mounted on `dir`. */
export function isSmallDiskMounted(dir: string): boolean {
  return execFileSync("findmnt", ["-n", "-o", "SOURCE", "--target", dir], { encoding: "utf8" }).trim() === "pxf-e2e-full-disk";
}
