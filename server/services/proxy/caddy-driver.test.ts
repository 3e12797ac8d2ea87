import { afterEach, describe, expect, it } from "vitest";
import planConfig from "@/server/adapters/caddy/testing/adapted-plan-caddyfile.json";
import { startFakeCaddyAdmin, type FakeCaddyAdmin } from "@/server/adapters/caddy/testing/fake-caddy-admin";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { createCaddyDriver } from "./caddy-driver";
import { findReverseProxyDirectives } from "./caddyfile-upstreams";
import { liveUpstreamsOf } from "./proxy-driver";
import { createFakeRunner } from "./testing/fake-runner";
import { PLAN_CADDYFILE } from "./testing/caddyfiles";
import { createMemoryFiles } from "./testing/memory-files";

const A = "127.0.0.1:4000";
const B = "127.0.0.1:4001";
const PATH = "/etc/caddy/Caddyfile";
const target: SshTarget = {
  hostId: "h1",
  name: "app",
  address: "10.0.0.30",
  port: 22,
  username: "root",
  privateKey: "unused",
  pinnedFingerprint: null,
  dockerSocket: "/run/docker.sock",
};

let fake: FakeCaddyAdmin | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** `caddy adapt` as a fake: a config with one reverse_proxy per directive of the staged text, or Caddy's refusal. */
function adaptRunner(refuse?: string) {
  return createFakeRunner((_argv, stdin) => {
    if (refuse) return { exitCode: 1, stderr: `Error: adapting config using caddyfile: ${refuse}\n` };
    const handle = findReverseProxyDirectives(stdin ?? "").map((d) => ({
      handler: "reverse_proxy",
      upstreams: d.dials.map((dial) => ({ dial })),
    }));
    return { stdout: JSON.stringify({ apps: { http: { servers: { srv0: { routes: [{ handle }] } } } } }) };
  });
}

async function setup(options: { caddyfile?: string; refuse?: string; config?: unknown } = {}) {
  fake = await startFakeCaddyAdmin({ config: options.config ?? planConfig });
  const admin = fake;
  const liveAtWrite: string[] = [];
  const files = createMemoryFiles(
    { [PATH]: options.caddyfile ?? PLAN_CADDYFILE },
    {
      mapPath: (p) => p.replace("/etc/caddy", "/srv/caddy"),
      onWrite: (_p, text) => {
        liveAtWrite.push(JSON.stringify(admin.config).match(/"dial":"([^"]+)"/)?.[1] ?? "");
        return text;
      },
    },
  );
  const runner = adaptRunner(options.refuse);
  const driver = createCaddyDriver({ admin: { target, adminUrl: fake.url }, knownDials: [A, B], caddyfile: { path: PATH, files, runner } });
  return { fake, files, runner, driver, liveAtWrite };
}

const patches = (f: FakeCaddyAdmin) => f.requests.filter((r) => r.method !== "GET");

describe("the Caddy driver on the plan's layout (Caddyfile, no @id)", () => {
  it("names itself by host and Caddyfile, and reads the upstream of the handler found by its dial", async () => {
    const { driver } = await setup();
    expect(driver.describe()).toBe("Caddy on app (Caddyfile /srv/caddy/Caddyfile)");
    expect(await driver.readUpstreams()).toEqual([A]);
  });

  it("switches live first, then rewrites just that Caddyfile line after caddy adapt accepted it", async () => {
    const { fake, files, runner, driver, liveAtWrite } = await setup();
    expect(await driver.setUpstreams([B], { expected: [A] })).toEqual([B]);
    expect(patches(fake)).toEqual([
      expect.objectContaining({
        method: "PATCH",
        path: expect.stringMatching(/^\/config\/apps\/http\/servers\/srv0\/.+\/upstreams$/),
        ifMatch: expect.any(String),
      }),
    ]);
    expect(files.files.get(PATH)).toBe(PLAN_CADDYFILE.replace(`reverse_proxy ${A}`, `reverse_proxy ${B}`));
    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]?.argv).toEqual([
      "sh",
      "-c",
      expect.stringContaining("adapt --adapter caddyfile"),
      "sh",
      "/etc/caddy/.Caddyfile.pixelfox-check",
      "caddy",
    ]);
    expect(runner.calls[0]?.stdin).toContain(`reverse_proxy ${B}`);
    expect(liveAtWrite).toEqual([B]);
  });

  it("compare-and-set: when Caddy points elsewhere, CONFLICT and nothing is written, live or on disk", async () => {
    const { fake, files, runner, driver } = await setup();
    await expect(driver.setUpstreams([B], { expected: ["127.0.0.1:4002"] })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(patches(fake)).toHaveLength(0);
    expect(files.writes).toHaveLength(0);
    expect(runner.calls).toHaveLength(0);
  });

  it("when caddy adapt refuses the file, live stays switched and the warning says the file is behind, with the fix", async () => {
    const { files, driver } = await setup({ refuse: "Caddyfile:9 - Error during parsing" });
    const warnings: string[] = [];
    expect(await driver.setUpstreams([B], { expected: [A], onWarning: (m) => warnings.push(m) })).toEqual([B]);
    expect(await driver.readUpstreams()).toEqual([B]);
    expect(files.files.get(PATH)).toBe(PLAN_CADDYFILE);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Caddy on app \(Caddyfile \/srv\/caddy\/Caddyfile\) now sends PixelFox's traffic to 127\.0\.0\.1:4001 \(switched live through its admin API\), but its Caddyfile is behind: caddy adapt in container pxlfox-proxy on app refused the Caddyfile: Error: adapting config using caddyfile: Caddyfile:9 - Error during parsing\. Until \/srv\/caddy\/Caddyfile says `reverse_proxy 127\.0\.0\.1:4001`, a restart of the proxy would send traffic back to 127\.0\.0\.1:4000\. Fix the file by hand .* the live switch was not rolled back\.$/,
      ),
    ]);
  });

  it("without a warning handler, the same case throws an error that says live is switched", async () => {
    const { driver } = await setup({ refuse: "bad" });
    const err = await driver.setUpstreams([B]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "REMOTE_FAILED", host: "app", data: { isLiveSwitched: true } });
    expect(liveUpstreamsOf(err)).toEqual([B]);
  });

  it("a Caddyfile without the old upstream is reported, not guessed at", async () => {
    const { driver } = await setup({ caddyfile: PLAN_CADDYFILE.replace(A, "127.0.0.1:4005") });
    const warnings: string[] = [];
    await driver.setUpstreams([B], { onWarning: (m) => warnings.push(m) });
    expect(warnings[0]).toMatch(
      /has no reverse_proxy to 127\.0\.0\.1:4000 to rewrite \(its reverse_proxy directives: line 17 → 127\.0\.0\.1:4005\)/,
    );
  });

  it("adopt changes nothing and reports the handler, the Caddyfile line and the adapt check", async () => {
    const { fake, files, driver } = await setup();
    const report = await driver.adopt(A);
    expect(report.changes).toEqual([]);
    expect(report.findings).toEqual([
      expect.stringMatching(
        /^Caddy's admin API on app:127\.0\.0\.1:2019 answers; PixelFox's reverse_proxy is \/config\/apps\/http\/servers\/srv0\/\S+ \(by its upstream 127\.0\.0\.1:4000.*\), sending traffic to 127\.0\.0\.1:4000\.$/,
      ),
      "The Caddyfile /srv/caddy/Caddyfile has it on line 17: each switch rewrites only that, after `caddy adapt` in container pxlfox-proxy on app accepts the new text.",
    ]);
    expect(patches(fake)).toHaveLength(0);
    expect(files.writes).toHaveLength(0);
  });

  it("adopt refuses a Caddyfile that says something else than the live config", async () => {
    const { driver } = await setup({ caddyfile: PLAN_CADDYFILE.replace(A, "127.0.0.1:4005") });
    await expect(driver.adopt(A)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining(
        "the Caddyfile has no reverse_proxy to it (its reverse_proxy directives: line 17 → 127.0.0.1:4005), so a restart would send traffic elsewhere",
      ),
    });
  });
});
