import { Writable } from "node:stream";
import { getCaddyConfig } from "@/server/adapters/caddy";
import type { DockerConnector } from "@/server/adapters/docker";
import { probeGet } from "@/server/adapters/http/probe-get";
import { withMysql } from "@/server/adapters/mysql/mysql-connection";
import { probeCacheAuth, type CacheAuthProbe } from "@/server/adapters/redis/cache-auth";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { openTunnel } from "@/server/adapters/tunnel/tunnel";
import { AppError, isAppError } from "@/server/errors";
import type { RoleSpec } from "./role-spec";

/** How readiness is checked on a host: each call one attempt, never throwing for "not yet". */
export interface ReadinessPorts {
  execIn(
    target: SshTarget,
    container: string,
    cmd: string[],
    env?: string[],
  ): Promise<{ exitCode: number | null; stdout: string; stderr: string }>;
  cacheAuth(target: SshTarget, host: string, port: number, password: string): Promise<CacheAuthProbe>;
  http(target: SshTarget, host: string, port: number, path: string, hostHeader?: string): Promise<{ status: number; body: string }>;
  mysqlLogin(target: SshTarget, host: string, creds: { user: string; password: string; database: string }): Promise<void>;
  caddyLoaded(target: SshTarget): Promise<boolean>;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function createReadinessPorts(docker: DockerConnector): ReadinessPorts {
  return {
    async execIn(target, container, cmd, env) {
      let stdout = "";
      const sink = new Writable({
        write(c: Buffer, _e, cb) {
          stdout += c.toString("utf8");
          cb();
        },
      });
      const r = await docker(target).exec(container, { cmd, env, stdout: sink, action: `check ${container}` });
      return { exitCode: r.exitCode, stdout, stderr: r.stderr };
    },
    cacheAuth: (target, host, port, password) => probeCacheAuth(target, host, port, password),
    async http(target, host, port, path, hostHeader) {
      const tunnel = await openTunnel(target, host, port);
      try {
        const r = await probeGet(`http://127.0.0.1:${tunnel.localPort}${path}`, {
          timeoutMs: 5000,
          userAgent: "pixelfox-ops/provision",
          hostHeader,
        });
        return { status: r.status, body: r.body };
      } finally {
        await tunnel.close();
      }
    },
    mysqlLogin: (target, host, creds) => withMysql(target, { ...creds, host }, async (conn) => void (await conn.query("SELECT 1"))),
    caddyLoaded: async (target) => (await getCaddyConfig({ target, containerName: "pxlfox-proxy" })) !== null,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const t = setTimeout(resolve, ms);
        signal?.addEventListener(
          "abort",
          () => {
            clearTimeout(t);
            resolve();
          },
          { once: true },
        );
      }),
  };
}

export interface ReadinessInput {
  target: SshTarget;
  spec: RoleSpec;
  /** Where the role listens on its host (its published address, or 127.0.0.1). */
  listenHost: string;
  /** The public site's host name, for asking the proxy for the right site. */
  siteHost: string;
  healthPath: string;
  timeoutMs: number;
  signal: AbortSignal;
  onAttempt: (detail: string) => void;
}

/**
 * Waits until the role answers as it should, and returns what proved it: MySQL answers `ping` and the
 * app's user logs in; the cache refuses a PING without its password and answers one with it; the app
 * answers its ping; the proxy has its config loaded and serves the site's ping.
 */
export async function waitUntilReady(ports: ReadinessPorts, input: ReadinessInput): Promise<string> {
  const check = checks[input.spec.role];
  const deadline = Date.now() + input.timeoutMs;
  let last = "not checked yet";
  for (let attempt = 1; ; attempt++) {
    if (input.signal.aborted) throw new AppError("CONFLICT", "Cancelled while waiting for the role to be ready");
    try {
      const proof = await check(ports, input);
      if (proof.ok) return proof.detail;
      last = proof.detail;
    } catch (err) {
      last = isAppError(err) ? err.message : err instanceof Error ? err.message : String(err);
    }
    input.onAttempt(`attempt ${attempt}: ${last}`);
    if (Date.now() >= deadline) break;
    await ports.sleep(1000, input.signal);
  }
  throw new AppError(
    "REMOTE_FAILED",
    `${input.spec.container} on ${input.target.name} did not become ready within ${Math.round(input.timeoutMs / 1000)} s (last: ${last}). Check its log: docker logs ${input.spec.container}.`,
    { host: input.target.name, action: `wait for ${input.spec.role}` },
  );
}

type Check = (ports: ReadinessPorts, input: ReadinessInput) => Promise<{ ok: boolean; detail: string }>;

const PING_DB =
  "if command -v mysqladmin >/dev/null 2>&1; then exec mysqladmin ping -h 127.0.0.1 --silent; else exec mariadb-admin ping -h 127.0.0.1 --silent; fi";

const checks: Record<RoleSpec["role"], Check> = {
  async db(ports, i) {
    const ping = await ports.execIn(i.target, i.spec.container, ["sh", "-c", PING_DB]);
    if (ping.exitCode !== 0)
      return { ok: false, detail: `mysqladmin ping: ${(ping.stderr || ping.stdout).trim().slice(0, 200) || `exit ${ping.exitCode}`}` };
    const env = i.spec.env;
    await ports.mysqlLogin(i.target, i.listenHost, { user: env.MYSQL_USER!, password: env.MYSQL_PASSWORD!, database: env.MYSQL_DATABASE! });
    return { ok: true, detail: `mysqladmin ping answers, and ${env.MYSQL_USER} logs in to ${env.MYSQL_DATABASE} on ${i.listenHost}:3306` };
  },
  async cache(ports, i) {
    const password = i.spec.env.DFLY_requirepass ?? i.spec.env.CACHE_PASSWORD ?? "";
    const r = await ports.cacheAuth(i.target, i.listenHost, 6379, password);
    if (r.authenticated !== "PONG") return { ok: false, detail: `AUTH + PING answered ${r.authenticated}` };
    if (r.anonymous === "PONG")
      return { ok: false, detail: "PING without a password was answered: the cache does not require its password" };
    return {
      ok: true,
      detail: `PING without the password is refused (${r.anonymous.slice(0, 60)}), AUTH + PING answers PONG on ${i.listenHost}:6379`,
    };
  },
  app: appCheck,
  storage: appCheck,
  async proxy(ports, i) {
    if (i.spec.image.includes("caddy") && !(await ports.caddyLoaded(i.target)))
      return { ok: false, detail: "Caddy's admin API has no config loaded" };
    if (!i.spec.image.includes("caddy")) {
      const t = await ports.execIn(i.target, i.spec.container, ["nginx", "-t"]);
      if (t.exitCode !== 0) return { ok: false, detail: `nginx -t: ${t.stderr.trim().split("\n").at(-1) ?? ""}` };
    }
    const r = await ports.http(i.target, "127.0.0.1", 80, i.healthPath, i.siteHost);
    const ok = r.status === 200 && r.body.includes('"pong"');
    return {
      ok,
      detail: ok
        ? `config loaded; ${i.healthPath} through the proxy answers pong`
        : `${i.healthPath} through the proxy answered HTTP ${r.status}`,
    };
  },
};

async function appCheck(ports: ReadinessPorts, i: ReadinessInput) {
  const port = i.spec.ports[0]?.hostPort ?? 4000;
  const r = await ports.http(i.target, i.listenHost, port, i.healthPath);
  const ok = r.status === 200 && r.body.includes('"pong"');
  return { ok, detail: ok ? `${i.healthPath} answers pong on ${i.listenHost}:${port}` : `${i.healthPath} answered HTTP ${r.status}` };
}
