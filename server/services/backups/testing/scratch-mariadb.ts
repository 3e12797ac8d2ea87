/**
 * Test helper: a throwaway MariaDB server of this machine's packages (the fleet's db image is built
 * from the same Debian ones), in a temp dir, on a unix socket only (no TCP port, no systemd).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const hasScratchMariaDb = () =>
  ["/usr/sbin/mariadbd", "/usr/bin/mariadb-install-db", "/usr/bin/mariadb"].every((p) => fs.existsSync(p));

export interface ScratchMariaDb {
  dir: string;
  socket: string;
  /** Client options that reach this server and ignore the machine's option files (first on the command line). */
  clientOptions: string[];
  /** Runs SQL as root, returns the tab-separated output. */
  sql: (text: string) => string;
  stop: () => Promise<void>;
}

export async function startScratchMariaDb(): Promise<ScratchMariaDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-mdb-"));
  const socket = path.join(dir, "s.sock");
  const user = process.getuid?.() === 0 ? ["--user=root"] : [];
  execFileSync(
    "mariadb-install-db",
    ["--no-defaults", `--datadir=${dir}/data`, ...user, "--skip-test-db", "--auth-root-authentication-method=normal"],
    {
      stdio: "ignore",
    },
  );
  const server: ChildProcess = spawn(
    "mariadbd",
    [
      "--no-defaults",
      `--datadir=${dir}/data`,
      `--socket=${socket}`,
      "--skip-networking",
      `--pid-file=${dir}/pid`,
      `--log-error=${dir}/err.log`,
      ...user,
    ],
    { stdio: "ignore" },
  );
  const clientOptions = ["--no-defaults", `--socket=${socket}`];
  const sql = (text: string) =>
    execFileSync("mariadb", [
      ...clientOptions,
      "--user=root",
      "--default-character-set=utf8mb4",
      "--batch",
      "--skip-column-names",
      "-e",
      text,
    ]).toString();
  for (let i = 0; ; i++) {
    try {
      sql("SELECT 1");
      break;
    } catch (err) {
      if (i > 100 || server.exitCode !== null)
        throw new Error(`scratch mariadbd did not start: ${fs.readFileSync(`${dir}/err.log`, "utf8").slice(-800)}`, { cause: err });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { dir, socket, clientOptions, sql, stop };
}
