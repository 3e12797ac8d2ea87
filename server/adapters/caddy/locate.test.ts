import { afterEach, describe, expect, it } from "vitest";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { withCaddyAdmin } from "./admin-client";
import { pickHandlerByDials } from "./config";
import { locateByIdOrDials } from "./locate";
import { switchUpstreamsAt } from "./upstreams";
import { fleetLikeConfig, startFakeCaddyAdmin, type FakeCaddyAdmin } from "./testing/fake-caddy-admin";
// Real configs: what `caddy adapt` (2.6) makes of Caddyfiles laid out like the go-live plan's.
import planConfig from "./testing/adapted-plan-caddyfile.json";
import sameUpstreamTwice from "./testing/adapted-same-upstream-twice.json";
import twoSites from "./testing/adapted-two-sites.json";

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

describe("finding PixelFox's reverse_proxy by its upstream in a config adapted from a Caddyfile", () => {
  it("finds the plan's handler (nested in a subroute of the site's route) by 127.0.0.1:4000", () => {
    const handler = pickHandlerByDials(planConfig, ["127.0.0.1:4000"], "app:127.0.0.1:2019");
    expect(handler.dials).toEqual(["127.0.0.1:4000"]);
    expect(handler.path.slice(0, 4)).toEqual(["apps", "http", "servers", "srv0"]);
    expect(handler.path).toContain("handle");
  });

  it("of two sites' reverse_proxies, takes the one whose upstream is the app's", () => {
    const handler = pickHandlerByDials(twoSites, ["127.0.0.1:4000", "127.0.0.1:4001"], "app:127.0.0.1:2019");
    expect(handler.dials).toEqual(["127.0.0.1:4000"]);
  });

  it("says none sends traffic to the address, listing every handler with its dials and the fix", () => {
    expect(() => pickHandlerByDials(twoSites, ["127.0.0.1:4005"], "app:127.0.0.1:2019")).toThrow(
      /no reverse_proxy handler that sends traffic to 127\.0\.0\.1:4005 \(its reverse_proxy handlers: \/config\/apps\/http\/servers\/srv0\/routes\/0\/\S+ → 127\.0\.0\.1:9000; \/config\/\S+ → 127\.0\.0\.1:4000\): point the PixelFox site's reverse_proxy/,
    );
  });

  it("refuses to guess when two handlers send traffic to the app's address", () => {
    let err: unknown;
    try {
      pickHandlerByDials(sameUpstreamTwice, ["127.0.0.1:4000"], "app:127.0.0.1:2019");
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect((err as Error).message).toMatch(
      /has 2 reverse_proxy handlers that send traffic to 127\.0\.0\.1:4000 \(\/config\/.+ → 127\.0\.0\.1:4000; \/config\/.+ → 127\.0\.0\.1:4000\).*ambiguous: make only the PixelFox site's reverse_proxy point at the app/,
    );
  });

  it("switches that handler through its /config/ path with If-Match; the other site's upstream stays", async () => {
    fake = await startFakeCaddyAdmin({ config: twoSites });
    const result = await withCaddyAdmin({ target, adminUrl: fake.url }, (admin) =>
      switchUpstreamsAt(admin, locateByIdOrDials("pixelfox_upstream", ["127.0.0.1:4000"]), ["127.0.0.1:4001"], {
        expected: ["127.0.0.1:4000"],
      }),
    );
    expect(result.upstreams).toEqual(["127.0.0.1:4001"]);
    expect(result.previous).toEqual(["127.0.0.1:4000"]);
    expect(result.location.how).toMatch(
      /^\/config\/apps\/http\/servers\/srv0\/routes\/1\/handle\/0\/routes\/0\/handle\/0 \(by its upstream 127\.0\.0\.1:4000\)$/,
    );
    const write = fake.requests.find((r) => r.method === "PATCH");
    expect(write).toMatchObject({
      path: "/config/apps/http/servers/srv0/routes/1/handle/0/routes/0/handle/0/upstreams",
      ifMatch: expect.any(String),
    });
    expect(JSON.stringify(fake.config)).toContain('"dial":"127.0.0.1:9000"');
  });

  it("prefers the @id when the config has one, whatever the dials", async () => {
    fake = await startFakeCaddyAdmin({ config: fleetLikeConfig({ dials: ["127.0.0.1:4001"] }) });
    const location = await withCaddyAdmin({ target, adminUrl: fake.url }, (admin) =>
      locateByIdOrDials("pixelfox_upstream", ["127.0.0.1:4000"])(admin),
    );
    expect(location).toMatchObject({
      path: "/id/pixelfox_upstream/upstreams",
      current: ["127.0.0.1:4001"],
      how: '@id "pixelfox_upstream"',
    });
  });
});
