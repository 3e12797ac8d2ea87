/** Test helpers for the real-binary tests: loopback backends, free ports, requests, processes that always end. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import http from "node:http";
import net, { type AddressInfo } from "node:net";

export function hasBinary(name: string): boolean {
  return spawnSync(name, ["-v"], { stdio: "ignore" }).error === undefined;
}

/** A node:http backend on 127.0.0.1 that answers its name. */
export async function startBackend(name: string): Promise<{ dial: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => res.end(name));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    dial: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** One GET on a fresh connection (no keep-alive: each request is a new client, as during a switch). */
export function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers, timeout: 3000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** A long-running process whose stderr is kept for failure messages. */
export function startProcess(argv: string[], env?: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr?.on("data", (c: Buffer) => (output = (output + c.toString("utf8")).slice(-4000)));
  return { child, output: () => output };
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * GETs on `url`, four at a time on fresh connections: `during` starts once `count / 4` have
 * answered, and the loop goes on until `count` were sent and `during` has finished, plus `after` more.
 */
export async function requestLoop(url: string, count: number, during: () => Promise<unknown>, after = 20) {
  const bodies: string[] = [];
  const failures: string[] = [];
  let sent = 0;
  let change: Promise<unknown> | undefined;
  let stopAt: number | null = null;
  const worker = async () => {
    while (stopAt === null || sent < stopAt) {
      sent++;
      if (!change && bodies.length >= count / 4) change = during().finally(() => (stopAt = Math.max(sent, count) + after));
      try {
        const r = await get(url);
        if (r.status === 200) bodies.push(r.body);
        else failures.push(`HTTP ${r.status}`);
      } catch (err) {
        failures.push(String(err));
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await change;
  return { bodies, failures };
}
