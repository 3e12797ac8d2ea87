import { afterEach, describe, expect, it } from "vitest";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { findReverseProxyHandlers, getCaddyConfig } from "./config";
import {
  fleetLikeConfig,
  startFakeCaddyAdmin,
  type FakeCaddyAdmin,
  type FakeCaddyOptions,
} from "@/server/adapters/caddy/testing/fake-caddy-admin";
import { getUpstreamHealth, getUpstreams, setUpstreams } from "./upstreams";

const target: SshTarget = {
  hostId: "h1",
  name: "app",
  address: "10.213.77.11",
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

async function start(options: FakeCaddyOptions) {
  fake = await startFakeCaddyAdmin(options);
  return { fake, options: { target, adminUrl: fake.url } };
}

function writes(f: FakeCaddyAdmin) {
  return f.requests.filter((r) => r.method !== "GET");
}

describe("reading Caddy's config and upstreams", () => {
  it("reads the config and the upstreams of the @id, sending Host 127.0.0.1:2019", async () => {
    const { fake, options } = await start({ config: fleetLikeConfig() });
    expect(await getCaddyConfig(options)).toEqual(fleetLikeConfig());
    expect(await getUpstreams(options)).toEqual(["127.0.0.1:4000"]);
    expect(fake.requests.map((r) => r.path)).toEqual(["/config/", "/id/pixelfox_upstream/upstreams"]);
    expect(new Set(fake.requests.map((r) => r.host))).toEqual(new Set(["127.0.0.1:2019"]));
    expect(fake.requests[0]?.origin).toBe("http://127.0.0.1:2019");
  });

  it("falls back to the only reverse_proxy handler when the @id is missing", async () => {
    const { options } = await start({ config: fleetLikeConfig({ id: null, dials: ["127.0.0.1:4001"] }) });
    expect(await getUpstreams(options)).toEqual(["127.0.0.1:4001"]);
  });

  it("says the choice is ambiguous when several handlers exist and none has the @id", async () => {
    const config = fleetLikeConfig({ id: null }) as { apps: { http: { servers: Record<string, unknown> } } };
    config.apps.http.servers.other = {
      listen: [":81"],
      routes: [
        {
          handle: [{ handler: "subroute", routes: [{ handle: [{ handler: "reverse_proxy", upstreams: [{ dial: "127.0.0.1:9000" }] }] }] }],
        },
      ],
    };
    const { options } = await start({ config });
    const err = await getUpstreams(options).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect((err as Error).message).toMatch(
      /no handler with @id "pixelfox_upstream" and 2 reverse_proxy handlers.*ambiguous.*add "@id": "pixelfox_upstream"/,
    );
  });

  it("finds reverse_proxy handlers nested in subroutes", () => {
    const handlers = findReverseProxyHandlers({
      a: [{ handler: "subroute", routes: [{ handle: [{ handler: "reverse_proxy", "@id": "x", upstreams: [{ dial: "h:1" }] }] }] }],
    });
    expect(handlers).toEqual([{ path: ["a", "0", "routes", "0", "handle", "0"], id: "x", dials: ["h:1"] }]);
  });

  it("maps Caddy's upstream health", async () => {
    const { options } = await start({ config: fleetLikeConfig(), health: [{ address: "127.0.0.1:4000", num_requests: 3, fails: 1 }] });
    expect(await getUpstreamHealth(options)).toEqual([{ address: "127.0.0.1:4000", numRequests: 3, fails: 1 }]);
  });
});

describe("setUpstreams", () => {
  it("PATCHes the @id's upstreams and returns what Caddy reads back", async () => {
    const { fake, options } = await start({ config: fleetLikeConfig() });
    expect(await setUpstreams(options, ["127.0.0.1:4001"])).toEqual(["127.0.0.1:4001"]);
    expect(writes(fake)).toEqual([
      expect.objectContaining({
        method: "PATCH",
        path: "/id/pixelfox_upstream/upstreams",
        body: '[{"dial":"127.0.0.1:4001"}]',
        ifMatch: expect.stringMatching(/^"\/id\/pixelfox_upstream\/upstreams [0-9a-f]{8}"$/),
      }),
    ]);
    expect(await getUpstreams(options)).toEqual(["127.0.0.1:4001"]);
  });

  it("writes through the config path when the @id is missing, and PUTs a missing upstreams key", async () => {
    const { fake, options } = await start({ config: fleetLikeConfig({ id: null, dials: null }) });
    expect(await setUpstreams(options, ["127.0.0.1:4000", "127.0.0.1:4001"])).toEqual(["127.0.0.1:4000", "127.0.0.1:4001"]);
    expect(writes(fake)[0]).toMatchObject({ method: "PUT", path: "/config/apps/http/servers/pixelfox/routes/0/handle/0/upstreams" });
  });

  it("writes with If-Match, so a change by someone else in between is refused with CONFLICT", async () => {
    const { fake, options } = await start({
      config: fleetLikeConfig(),
      beforeWrite: (config) => {
        // Another deploy switches to 4002 between our read and our write.
        const handler = (config as { apps: { http: { servers: { pixelfox: { routes: { handle: { upstreams: unknown }[] }[] } } } } }).apps
          .http.servers.pixelfox.routes[0]?.handle[0];
        if (handler) handler.upstreams = [{ dial: "127.0.0.1:4002" }];
      },
    });
    const err = await setUpstreams(options, ["127.0.0.1:4001"]).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("changed while the panel was trying to point Caddy at 127.0.0.1:4001"),
    });
    expect(writes(fake)).toEqual([expect.objectContaining({ method: "PATCH", path: "/id/pixelfox_upstream/upstreams" })]);
    expect(await getUpstreams(options)).toEqual(["127.0.0.1:4002"]);
  });

  it("compare-and-set: writes nothing when Caddy does not point where the caller expects", async () => {
    const { fake, options } = await start({ config: fleetLikeConfig({ dials: ["127.0.0.1:4002"] }) });
    await expect(setUpstreams(options, ["127.0.0.1:4001"], { expected: ["127.0.0.1:4000"] })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("points at 127.0.0.1:4002, not at 127.0.0.1:4000 as expected"),
    });
    expect(writes(fake)).toHaveLength(0);
    expect(await setUpstreams(options, ["127.0.0.1:4001"], { expected: ["127.0.0.1:4002"] })).toEqual(["127.0.0.1:4001"]);
  });

  it("refuses invalid addresses before talking to Caddy", async () => {
    const { fake, options } = await start({ config: fleetLikeConfig() });
    await expect(setUpstreams(options, ["{http.request.header.X}:80"])).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(setUpstreams(options, [])).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(setUpstreams({ ...options, upstreamId: "../../config" }, ["127.0.0.1:4001"])).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(fake.requests).toHaveLength(0);
  });

  it("throws REMOTE_FAILED when the read-back differs from what was set", async () => {
    const { options } = await start({ config: fleetLikeConfig(), isIgnoringWrites: true });
    const err = await setUpstreams(options, ["127.0.0.1:4001"]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "REMOTE_FAILED", host: "app" });
    expect((err as Error).message).toContain("accepted the new upstreams (127.0.0.1:4001) but now reports 127.0.0.1:4000");
  });

  it("passes Caddy's own reason when it rejects the change", async () => {
    const { options } = await start({
      config: fleetLikeConfig(),
      writeError: "loading new config: provision http.handlers.reverse_proxy: bad dial",
    });
    await expect(setUpstreams(options, ["127.0.0.1:4001"])).rejects.toMatchObject({
      code: "REMOTE_FAILED",
      message: expect.stringMatching(/app:127\.0\.0\.1:2019 answered HTTP 400 .*bad dial/),
    });
  });
});

describe("admin API failures", () => {
  it("explains a Host check refusal", async () => {
    const { options } = await start({ config: fleetLikeConfig() });
    await expect(getCaddyConfig({ ...options, adminPort: 2999 })).rejects.toMatchObject({
      code: "REMOTE_FAILED",
      message: expect.stringMatching(/app:127\.0\.0\.1:2999 refused to read Caddy's config \(403: host not allowed: 127\.0\.0\.1:2999\)/),
    });
  });

  it("names the host, the admin address and the container when nothing answers", async () => {
    const { fake: f, options } = await start({ config: fleetLikeConfig() });
    await f.close();
    fake = undefined;
    await expect(getUpstreams(options)).rejects.toMatchObject({
      code: "HOST_UNREACHABLE",
      host: "app",
      message: expect.stringMatching(
        /Caddy's admin API is not answering on app:127\.0\.0\.1:2019 .*is pxlfox-proxy running with the admin API enabled/,
      ),
    });
  });

  it("maps a slow admin API to HOST_TIMEOUT", async () => {
    const { options } = await start({ config: fleetLikeConfig(), delayMs: 500 });
    await expect(getUpstreams({ ...options, timeoutMs: 100 })).rejects.toMatchObject({
      code: "HOST_TIMEOUT",
      message: expect.stringContaining("did not answer within 0.1 s"),
    });
  });
});
