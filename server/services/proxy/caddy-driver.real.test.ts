/**
 * The Caddy driver against a real `caddy run` from a Caddyfile laid out like the plan's (admin API
 * and site on random loopback ports, two node:http backends). Skipped when caddy is not installed.
 *
 * Caddy (2.6+ on Linux) opens a new SO_REUSEPORT listener on every config change and closes the old
 * one; the kernel resets the connections still queued on the old socket unless
 * net.ipv4.tcp_migrate_req=1 moves them to the new one (measured here: ~0.7 resets per switch at
 * ~400 new connections/s without it, none in 180 switches with it). The panel sets it on the proxy
 * hosts it provisions or adopts; this test runs Caddy on this machine's loopback, so it sets it in
 * its own network namespace for the test and puts the old value back afterwards (skipped when it
 * cannot: not root, or a kernel older than 5.14).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { createCaddyDriver } from "./caddy-driver";
import { createRunnerFiles } from "./proxy-files";
import type { ProxyDriver } from "./proxy-driver";
import { PLAN_CADDYFILE } from "./testing/caddyfiles";
import { createLocalRunner } from "./testing/local-runner";
import { freePort, get, hasBinary, requestLoop, startBackend, startProcess, stopProcess, waitFor } from "./testing/local-servers";

const target: SshTarget = {
  hostId: "local",
  name: "app",
  address: "127.0.0.1",
  port: 22,
  username: "root",
  privateKey: "unused",
  pinnedFingerprint: null,
  dockerSocket: "/run/docker.sock",
};

const MIGRATE_REQ = "/proc/sys/net/ipv4/tcp_migrate_req";
const canMigrateRequests = (() => {
  try {
    fs.accessSync(MIGRATE_REQ, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasBinary("caddy") || !canMigrateRequests)("the Caddy driver with a real Caddy", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxproxy-caddy-"));
  const caddyfile = path.join(dir, "Caddyfile");
  const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: path.join(dir, "config"), XDG_DATA_HOME: path.join(dir, "data") };
  let backends: Awaited<ReturnType<typeof startBackend>>[] = [];
  let caddy: { child: ChildProcess; output: () => string } | undefined;
  let site = "";
  let original = "";
  let driver: ProxyDriver;
  let A = "";
  let B = "";

  const startCaddy = async (adminPort: number) => {
    caddy = startProcess(["caddy", "run", "--config", caddyfile, "--adapter", "caddyfile"], env);
    await waitFor(`caddy (${caddy.output()})`, async () => ((await fetch(`http://127.0.0.1:${adminPort}/config/`)).ok ? true : undefined));
    await waitFor("the site", async () => ((await get(site)).status === 200 ? true : undefined));
  };

  let migrateReqBefore = "";

  beforeAll(async () => {
    migrateReqBefore = fs.readFileSync(MIGRATE_REQ, "utf8").trim();
    fs.writeFileSync(MIGRATE_REQ, "1");
    backends = await Promise.all([startBackend("A"), startBackend("B")]);
    [A, B] = backends.map((b) => b.dial) as [string, string];
    const [adminPort, sitePort] = [await freePort(), await freePort()];
    site = `http://127.0.0.1:${sitePort}/`;
    // The plan's Caddyfile, moved to loopback: admin and site on random ports, plain http, the log in the temp dir.
    original = PLAN_CADDYFILE.replace("{\n  email", `{\n  admin 127.0.0.1:${adminPort}\n  email`)
      .replace("\npixelfox.example {", `\nhttp://127.0.0.1:${sitePort} {`)
      .replace("www.pixelfox.example {", `http://www.pixelfox.test:${sitePort} {`)
      .replace("https://pixelfox.example{uri}", `http://127.0.0.1:${sitePort}{uri}`)
      .replace("reverse_proxy 127.0.0.1:4000", `reverse_proxy ${A}`)
      .replace("/var/log/caddy/pixelfox.access.log", path.join(dir, "pixelfox.access.log"));
    fs.writeFileSync(caddyfile, original);
    await startCaddy(adminPort);
    const runner = createLocalRunner({ env });
    driver = createCaddyDriver({
      admin: { target, adminUrl: `http://127.0.0.1:${adminPort}`, adminPort },
      knownDials: [A],
      caddyfile: { path: caddyfile, files: createRunnerFiles(runner), runner },
    });
  }, 15_000);

  afterAll(async () => {
    if (migrateReqBefore) fs.writeFileSync(MIGRATE_REQ, migrateReqBefore);
    await stopProcess(caddy?.child);
    await Promise.all(backends.map((b) => b.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("adopts without changing anything: the handler is found by its upstream, the Caddyfile line matches, caddy adapt works", async () => {
    const report = await driver.adopt(A);
    expect(report.changes).toEqual([]);
    expect(report.findings.join("\n")).toMatch(/PixelFox's reverse_proxy is \/config\/apps\/http\/servers\/srv0\/\S+ \(by its upstream/);
    expect(report.findings.join("\n")).toContain("has it on line 18");
    expect(fs.readFileSync(caddyfile, "utf8")).toBe(original);
    expect((await get(site)).body).toBe("A");
  });

  it("switches A → B live, rewrites only that Caddyfile line, and a restart from the file still sends to B", async () => {
    let result: string[] = [];
    const loop = await requestLoop(site, 200, async () => (result = await driver.setUpstreams([B], { expected: [A] })));
    expect(result).toEqual([B]);
    expect(loop.failures).toEqual([]);
    expect(new Set(loop.bodies)).toEqual(new Set(["A", "B"]));
    expect(new Set(loop.bodies.slice(-16))).toEqual(new Set(["B"]));
    const answer = await get(site);
    expect(answer.body).toBe("B");
    expect(answer.headers["x-frame-options"]).toBe("DENY");
    expect(fs.readFileSync(caddyfile, "utf8")).toBe(original.replace(`reverse_proxy ${A}`, `reverse_proxy ${B}`));
    expect(fs.readdirSync(dir).filter((f) => f.includes("pixelfox-check"))).toEqual([]);

    const adminPort = Number(/admin 127\.0\.0\.1:(\d+)/.exec(original)?.[1]);
    await stopProcess(caddy?.child);
    await startCaddy(adminPort);
    expect((await get(site)).body).toBe("B");
    expect(await driver.readUpstreams()).toEqual([B]);
  }, 15_000);

  it("30 switches back and forth while four clients open a new connection per request: none fails", async () => {
    let current = await driver.readUpstreams();
    const loop = await requestLoop(site, 400, async () => {
      for (let i = 0; i < 30; i++) {
        const next = current[0] === A ? [B] : [A];
        current = await driver.setUpstreams(next, { expected: current });
      }
    });
    expect(loop.failures).toEqual([]);
    expect(new Set(loop.bodies)).toEqual(new Set(["A", "B"]));
    // Back where the last test expects it.
    if (current[0] !== B) await driver.setUpstreams([B], { expected: current });
  }, 30_000);

  it("a stale expectation is refused with CONFLICT: Caddy and the file stay on B", async () => {
    const before = fs.readFileSync(caddyfile, "utf8");
    await expect(driver.setUpstreams([A], { expected: [A] })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(fs.readFileSync(caddyfile, "utf8")).toBe(before);
    expect((await get(site)).body).toBe("B");
  });
});
