import { describe, expect, it } from "vitest";
import { createNginxDriver } from "./nginx-driver";
import { parseUpstreamFile } from "./nginx-upstream-file";
import { createFakeRunner } from "./testing/fake-runner";
import { createMemoryFiles } from "./testing/memory-files";
import { planHttpSite } from "./testing/nginx-sites";

const A = "127.0.0.1:4000";
const B = "127.0.0.1:4001";
const SITE = "/etc/nginx/sites-enabled/pixelfox";
const UPSTREAM = "/etc/nginx/pixelfox-upstream.conf";

/** nginx as a fake: -T dumps the site (and the upstream file once it exists), -t runs `check`, -s reload counts. */
function setup(options: { check?: (files: Map<string, string>) => string | null; reloadFails?: boolean; siteListed?: boolean } = {}) {
  const files = createMemoryFiles({ [SITE]: planHttpSite("80") });
  let reloads = 0;
  const runner = createFakeRunner((argv) => {
    // The reload runs inside a small sh script (it waits for the old workers): see it as `-s reload`.
    const flag = argv[0] === "sh" && argv[2]?.includes("-s reload") ? "-s reload" : argv.slice(1).join(" ");
    if (flag === "-T") {
      const listed = [...files.files.keys()].filter((p) => p === UPSTREAM || (p === SITE && options.siteListed !== false));
      return { stdout: listed.map((p) => `# configuration file ${p}:\n${files.files.get(p)}`).join("\n") };
    }
    if (flag === "-t") {
      const problem = options.check?.(files.files) ?? null;
      return problem
        ? { exitCode: 1, stderr: `nginx: [emerg] ${problem}\nnginx: configuration file /etc/nginx/nginx.conf test failed\n` }
        : { stderr: "nginx: configuration file /etc/nginx/nginx.conf test is successful\n" };
    }
    if (flag === "-V") return { stderr: "configure arguments: --prefix=/usr/share/nginx --pid-path=/run/nginx.pid\n" };
    if (flag === "-s reload") {
      if (options.reloadFails)
        return { exitCode: 1, stderr: 'nginx: [error] open() "/run/nginx.pid" failed (2: No such file or directory)\n' };
      reloads++;
    }
    return {};
  });
  const driver = createNginxDriver({ runner, files, sitePath: SITE });
  const nginxCalls = () =>
    runner.calls
      .map((c) => (c.argv[0] === "sh" ? `-s reload (pid file ${c.argv[4]})` : c.argv.slice(1).join(" ")))
      .filter((c) => c !== "-T" && c !== "-V");
  return { files, runner, driver, reloads: () => reloads, nginxCalls };
}

describe("adopting the plan's Nginx site", () => {
  it("adds the upstream file and the include, points the proxy_pass at it, checks and reloads: no restart", async () => {
    const { files, driver, reloads, nginxCalls } = setup();
    expect(await driver.readUpstreams()).toEqual([A]);
    const report = await driver.adopt(A);
    expect(report.changes).toEqual([
      `${UPSTREAM}: new, upstream pixelfox_upstream { server ${A}; }`,
      `${SITE}, top of the site: include ${UPSTREAM};`,
      `${SITE}, line 8: proxy_pass http://${A} → http://pixelfox_upstream`,
      "nginx -t passed and nginx reloaded gracefully in container pxlfox-proxy on app (no restart).",
    ]);
    expect(report.findings).toEqual([`nginx -T lists ${UPSTREAM}: the upstream is part of the loaded config.`]);
    expect(parseUpstreamFile(files.files.get(UPSTREAM)!, "pixelfox_upstream")).toEqual([A]);
    expect(files.files.get(SITE)).toContain("proxy_pass http://pixelfox_upstream;\n    proxy_set_header Host $host;");
    expect(files.files.get("/etc/nginx/pixelfox-prev/pixelfox.prev")).toBe(planHttpSite("80"));
    expect(nginxCalls()).toEqual(["-t", "-s reload (pid file /run/nginx.pid)"]);
    expect(reloads()).toBe(1);
    expect(await driver.readUpstreams()).toEqual([A]);
  });

  it("a second adopt finds nothing to do", async () => {
    const { driver, nginxCalls } = setup();
    await driver.adopt(A);
    expect(await driver.adopt(A)).toEqual({
      changes: [],
      findings: [`Already under the panel's control: the site proxies to http://pixelfox_upstream, whose servers are ${A}.`],
    });
    expect(nginxCalls()).toEqual(["-t", "-s reload (pid file /run/nginx.pid)"]);
  });

  it("refuses a site that proxies elsewhere, or that nginx does not load", async () => {
    await expect(setup().driver.adopt("127.0.0.1:4005")).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining(`the site has no proxy_pass to http://127.0.0.1:4005 (it proxies to ${A} on line 5)`),
    });
    await expect(setup({ siteListed: false }).driver.adopt(A)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining(`nginx -T does not list ${SITE}, so nginx does not load that site`),
    });
  });

  it("a refused adopt leaves both files as they were", async () => {
    const { files, driver, reloads } = setup({
      check: (f) => (f.has(UPSTREAM) ? `duplicate upstream "pixelfox_upstream" in ${UPSTREAM}:3` : null),
    });
    await expect(driver.adopt(A)).rejects.toMatchObject({
      code: "REMOTE_FAILED",
      message: expect.stringContaining('[emerg] duplicate upstream "pixelfox_upstream"'),
    });
    expect(files.files.get(SITE)).toBe(planHttpSite("80"));
    expect(files.files.has(UPSTREAM)).toBe(false);
    expect(reloads()).toBe(0);
  });
});

describe("switching Nginx's upstream", () => {
  it("needs the proxy adopted first", async () => {
    const { files, driver } = setup();
    await expect(driver.setUpstreams([B])).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("adopt the proxy first"),
    });
    expect(files.writes).toHaveLength(0);
  });

  it("rewrites only the upstream file, checks, reloads and reads back", async () => {
    const { files, driver, nginxCalls } = setup();
    await driver.adopt(A);
    const site = files.files.get(SITE);
    expect(await driver.setUpstreams([B], { expected: [A] })).toEqual([B]);
    expect(files.files.get(SITE)).toBe(site);
    expect(await driver.readUpstreams()).toEqual([B]);
    expect(nginxCalls()).toEqual(["-t", "-s reload (pid file /run/nginx.pid)", "-t", "-s reload (pid file /run/nginx.pid)"]);
    expect(driver.describe()).toBe(`Nginx in container pxlfox-proxy on app (site ${SITE})`);
  });

  it("compare-and-set: CONFLICT and no write when Nginx points elsewhere", async () => {
    const { files, driver } = setup();
    await driver.adopt(A);
    const writes = files.writes.length;
    await expect(driver.setUpstreams([B], { expected: ["127.0.0.1:4002"] })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(`sends PixelFox's traffic to ${A}, not to 127.0.0.1:4002 as expected`),
    });
    expect(files.writes).toHaveLength(writes);
  });

  it("when nginx -t refuses, the upstream file gets its previous bytes back, nginx is not reloaded, and the error quotes nginx", async () => {
    let refuse = false;
    const { files, driver, reloads } = setup({ check: () => (refuse ? `invalid host in upstream "x" in ${UPSTREAM}:4` : null) });
    await driver.adopt(A);
    const before = files.files.get(UPSTREAM);
    refuse = true;
    const err = await driver.setUpstreams([B]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "REMOTE_FAILED" });
    expect((err as Error).message).toBe(
      `nginx -t in container pxlfox-proxy on app refused the config to point Nginx at ${B}: "nginx: [emerg] invalid host in upstream "x" in ${UPSTREAM}:4". Nothing changed: the files have their previous content again and nginx was not reloaded.`,
    );
    expect(files.files.get(UPSTREAM)).toBe(before);
    expect(reloads()).toBe(1);
  });

  it("a failed reload also puts the previous bytes back", async () => {
    const { files, driver } = setup();
    await driver.adopt(A);
    const before = files.files.get(UPSTREAM);
    const broken = createNginxDriver({ runner: setup({ reloadFails: true }).runner, files, sitePath: SITE });
    await expect(broken.setUpstreams([B])).rejects.toMatchObject({
      code: "REMOTE_FAILED",
      message: expect.stringContaining("nginx -s reload"),
    });
    expect(files.files.get(UPSTREAM)).toBe(before);
  });

  it("refuses addresses nginx would read as something else, and unsafe paths", async () => {
    const { driver } = setup();
    await expect(driver.setUpstreams(["127.0.0.1:4001; include /etc/passwd"])).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(() => createNginxDriver({ runner: setup().runner, files: createMemoryFiles(), sitePath: "/etc/nginx/x;y" })).toThrow(
      /sitePath must be an absolute path/,
    );
  });
});
