/**
 * The Nginx driver against a real nginx (its own prefix, pid and loopback port; never the system
 * one), with two node:http backends and requests running through every change. Skipped when nginx
 * is not installed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNginxDriver } from "./nginx-driver";
import { createRunnerFiles, type ProxyFiles } from "./proxy-files";
import { createLocalRunner } from "./testing/local-runner";
import { freePort, get, hasBinary, requestLoop, startBackend, startProcess, stopProcess, waitFor } from "./testing/local-servers";
import { planHttpSite } from "./testing/nginx-sites";

describe.skipIf(!hasBinary("nginx"))("the Nginx driver with a real nginx", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxproxy-nginx-"));
  const conf = path.join(dir, "nginx.conf");
  const sitePath = path.join(dir, "sites-enabled", "pixelfox");
  const upstreamPath = path.join(dir, "pixelfox-upstream.conf");
  const nginxCommand = ["nginx", "-p", `${dir}/`, "-c", conf, "-e", path.join(dir, "error.log")];
  let backends: Awaited<ReturnType<typeof startBackend>>[] = [];
  let nginx: { child: ChildProcess; output: () => string } | undefined;
  let site = "";
  let A = "";
  let B = "";
  const runner = createLocalRunner();
  const files = createRunnerFiles(runner);
  const driverWith = (f: ProxyFiles) =>
    createNginxDriver({ runner, files: f, sitePath, upstreamPath, backupDir: path.join(dir, "prev"), nginxCommand });
  const driver = driverWith(files);
  const masterPid = () => fs.readFileSync(path.join(dir, "nginx.pid"), "utf8").trim();

  beforeAll(async () => {
    backends = await Promise.all([startBackend("A"), startBackend("B")]);
    [A, B] = backends.map((b) => b.dial) as [string, string];
    const port = await freePort();
    site = `http://127.0.0.1:${port}/`;
    for (const sub of ["sites-enabled", "tmp"]) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${dir}/tmp/${t};`).join("\n");
    fs.writeFileSync(
      conf,
      `worker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n${temp}\n  include ${dir}/sites-enabled/*;\n}\n`,
    );
    fs.writeFileSync(sitePath, planHttpSite(`127.0.0.1:${port}`, A));
    nginx = startProcess([...nginxCommand, "-g", "daemon off;"]);
    await waitFor(`nginx (${nginx.output()})`, async () => ((await get(site)).body === "A" ? true : undefined));
  }, 15_000);

  afterAll(async () => {
    await stopProcess(nginx?.child);
    await Promise.all(backends.map((b) => b.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("adopts the plan's site under traffic: upstream file, include, proxy_pass by name; a graceful reload, no restart", async () => {
    const pid = masterPid();
    let report: Awaited<ReturnType<typeof driver.adopt>> | undefined;
    const loop = await requestLoop(site, 60, async () => (report = await driver.adopt(A)));
    expect(loop.failures).toEqual([]);
    expect(new Set(loop.bodies)).toEqual(new Set(["A"]));
    expect(report?.changes).toHaveLength(4);
    expect(report?.findings).toEqual([`nginx -T lists ${upstreamPath}: the upstream is part of the loaded config.`]);
    expect(fs.readFileSync(sitePath, "utf8")).toContain(`include ${upstreamPath};`);
    expect(masterPid()).toBe(pid);
    expect(await driver.adopt(A)).toMatchObject({ changes: [] });
  });

  it("switches A → B under 200 requests: none fails, both backends answer, B at the end", async () => {
    const loop = await requestLoop(site, 200, () => driver.setUpstreams([B], { expected: [A] }));
    expect(loop.failures).toEqual([]);
    expect(loop.bodies.length).toBeGreaterThanOrEqual(200);
    expect(new Set(loop.bodies)).toEqual(new Set(["A", "B"]));
    // Once setUpstreams has returned, the old workers take no new connection: every later request is B's.
    expect(new Set(loop.bodies.slice(-16))).toEqual(new Set(["B"]));
    expect(await driver.readUpstreams()).toEqual([B]);
  }, 10_000);

  it("a write nginx -t refuses changes nothing: files byte-identical, traffic still on B", async () => {
    const before = { site: fs.readFileSync(sitePath, "utf8"), upstream: fs.readFileSync(upstreamPath, "utf8") };
    // Test hook: the upstream file gets a parameter nginx refuses on its way to disk.
    const corrupting: ProxyFiles = {
      ...files,
      write: (p, text) => files.write(p, p === upstreamPath && text.includes(A) ? text.replace(`${A};`, `${A} weight=heavy;`) : text),
    };
    const loop = await requestLoop(site, 40, () =>
      driverWith(corrupting)
        .setUpstreams([A], { expected: [B] })
        .catch((e: unknown) => e),
    );
    const err = await driverWith(corrupting)
      .setUpstreams([A], { expected: [B] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "REMOTE_FAILED",
      message: expect.stringMatching(
        /nginx -t on this machine refused the config .*\[emerg\] invalid parameter "weight=heavy".*Nothing changed/,
      ),
    });
    expect(loop.failures).toEqual([]);
    expect(new Set(loop.bodies)).toEqual(new Set(["B"]));
    expect(fs.readFileSync(sitePath, "utf8")).toBe(before.site);
    expect(fs.readFileSync(upstreamPath, "utf8")).toBe(before.upstream);
    expect((await get(site)).body).toBe("B");
  });
});
