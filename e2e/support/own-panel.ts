import { panelCli } from "./panel";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";

/**
 * A second panel process the test controls (start, SIGKILL, start again), with its own store.
 * Used where the shared Playwright web server cannot be touched, e.g. a panel restart mid-deploy.
 */
export class OwnPanel {
  private proc: ChildProcess | null = null;
  readonly url: string;
  readonly env: NodeJS.ProcessEnv;

  /** `host` is a loopback address (127.0.0.0/8): another one lets a test reuse its own port number. */
  constructor(
    readonly port: number,
    readonly dataDir: string,
    readonly host = "127.0.0.1",
  ) {
    this.url = `http://${host}:${port}`;
    this.env = { ...process.env, PANEL_DATA_DIR: dataDir, PANEL_SECRET: "own-panel-test-secret-0123456789abcdef" };
  }

  prepare() {
    // Emptied, not removed: the directory may be a mount point (a small tmpfs for the disk-full fault).
    fs.mkdirSync(this.dataDir, { recursive: true });
    for (const name of fs.readdirSync(this.dataDir)) fs.rmSync(`${this.dataDir}/${name}`, { recursive: true, force: true });
    execFileSync("npx", ["prisma", "migrate", "deploy"], { env: this.env, stdio: "ignore" });
  }

  cli(args: string[], stdin?: string): string {
    return panelCli(args, stdin, this.env);
  }

  async start() {
    const log = fs.openSync(`${this.dataDir}/panel.log`, "a");
    this.proc = spawn("npx", ["next", "start", "-H", this.host, "-p", String(this.port)], {
      env: this.env,
      stdio: ["ignore", log, log],
      detached: true,
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const ok = await fetch(`${this.url}/api/healthz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`own panel on ${this.url} did not start; see ${this.dataDir}/panel.log`);
  }

  /** Kills the whole process group at once, as a crash or `kill -9` would. */
  kill() {
    if (this.proc?.pid) {
      try {
        process.kill(-this.proc.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    this.proc = null;
  }
}
