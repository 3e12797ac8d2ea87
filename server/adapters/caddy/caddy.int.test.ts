import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshPool } from "@/server/adapters/ssh/pool";
import { loadFleet, type Fleet } from "@/server/adapters/ssh/test-fleet";
import { getCaddyConfig, findReverseProxyHandlers } from "./config";
import { getUpstreamHealth, getUpstreams, setUpstreams } from "./upstreams";

let fleet: Fleet;
const pool = new SshPool({ readyTimeoutMs: 10_000 });

beforeAll(async () => {
  fleet = await loadFleet();
});
afterAll(() => pool.closeAll());

const caddy = () => ({ target: fleet.target("app"), pool });

async function ping(): Promise<{ status: number; body: unknown; version: string | null }> {
  const res = await fetch(`${fleet.status.stack.publicDomain}/api/v1/ping`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.json(), version: res.headers.get("x-app-version") };
}

describe("Caddy's admin API on the fleet's app host, through an SSH tunnel", () => {
  it("reads the config with the pixelfox_upstream reverse_proxy", async () => {
    const handlers = findReverseProxyHandlers(await getCaddyConfig(caddy()));
    expect(handlers).toContainEqual(expect.objectContaining({ id: "pixelfox_upstream", dials: ["127.0.0.1:4000"] }));
  });

  it("reads the upstreams and their health", async () => {
    expect(await getUpstreams(caddy())).toEqual(["127.0.0.1:4000"]);
    expect(await getUpstreamHealth(caddy())).toContainEqual(expect.objectContaining({ address: "127.0.0.1:4000", fails: expect.any(Number) }));
  });

  it("sets the same upstreams again (idempotent) and the site keeps answering pong", async () => {
    const original = await getUpstreams(caddy());
    expect(original).toEqual(["127.0.0.1:4000"]);
    try {
      expect(await setUpstreams(caddy(), ["127.0.0.1:4000"])).toEqual(["127.0.0.1:4000"]);
      const answer = await ping();
      expect(answer).toMatchObject({ status: 200, body: { ping: "pong" } });
      expect(answer.version).toMatch(/^v\d/);
    } finally {
      // Never leave the fleet's Caddy pointing anywhere else.
      await setUpstreams(caddy(), original);
    }
    expect(await getUpstreams(caddy())).toEqual(original);
  });

  it("refuses an invalid address without touching Caddy's config", async () => {
    await expect(setUpstreams(caddy(), ["127.0.0.1:4000/../admin"])).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await getUpstreams(caddy())).toEqual(["127.0.0.1:4000"]);
  });

  it("says what to check when nothing listens on the admin port", async () => {
    await expect(getUpstreams({ ...caddy(), adminPort: 2999 })).rejects.toMatchObject({
      code: "HOST_UNREACHABLE",
      message: expect.stringMatching(/Caddy's admin API is not answering on app:127\.0\.0\.1:2999 .*is pxlfox-proxy running/),
    });
  });
});
