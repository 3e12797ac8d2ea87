/**
 * Against the fleet's app host. The fleet is shared: other suites deploy onto it and move Caddy
 * between 127.0.0.1:4000 and :4001, so nothing here assumes a port, and the one write is a
 * compare-and-set of the value just read (If-Match), which can never undo someone else's switch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@/server/errors";
import { SshPool } from "@/server/adapters/ssh/pool";
import { loadFleet, type Fleet } from "@/server/adapters/ssh/testing/test-fleet";
import { findReverseProxyHandlers, getCaddyConfig } from "./config";
import { getUpstreamHealth, getUpstreams, setUpstreams } from "./upstreams";

let fleet: Fleet;
const pool = new SshPool({ readyTimeoutMs: 10_000 });
const APP_DIAL = /^127\.0\.0\.1:\d+$/;

beforeAll(async () => {
  fleet = await loadFleet();
});
afterAll(() => pool.closeAll());

const caddy = () => ({ target: fleet.target("app"), pool });

async function ping(): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${fleet.status.stack.publicDomain}/api/v1/ping`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

describe("Caddy's admin API on the fleet's app host, through an SSH tunnel", () => {
  it("reads the config with the pixelfox_upstream reverse_proxy", async () => {
    const handlers = findReverseProxyHandlers(await getCaddyConfig(caddy()));
    const handler = handlers.find((h) => h.id === "pixelfox_upstream");
    expect(handler?.dials).toEqual([expect.stringMatching(APP_DIAL)]);
  });

  it("reads the upstreams (the app's loopback port, 127.0.0.1:4000 on a fresh fleet) and their health", async () => {
    const upstreams = await getUpstreams(caddy());
    expect(upstreams).toEqual([expect.stringMatching(APP_DIAL)]);
    const health = await getUpstreamHealth(caddy());
    expect(health.map((h) => h.address)).toContain(upstreams[0]);
  });

  it("sets the current upstreams again (idempotent, compare-and-set) and the site keeps answering pong", async () => {
    let original: string[] = [];
    let written: string[] | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        original = await getUpstreams(caddy());
        try {
          written = await setUpstreams(caddy(), original, { expected: original });
          break;
        } catch (err) {
          // Another suite switched the proxy between our read and write: read again.
          if (!(isAppError(err) && err.code === "CONFLICT") || attempt >= 3) throw err;
        }
      }
      expect(written).toEqual(original);
      expect(await ping()).toEqual({ status: 200, body: { ping: "pong" } });
    } finally {
      // Never leave the proxy pointing elsewhere, and never undo someone else's switch: restore
      // only if what we wrote is still in effect and differs from what we found.
      const now = await getUpstreams(caddy());
      if (written && now.join() === written.join() && now.join() !== original.join()) {
        await setUpstreams(caddy(), original, { expected: now });
      }
    }
  });

  it("refuses an invalid address without touching Caddy's config", async () => {
    const before = await getUpstreams(caddy());
    await expect(setUpstreams(caddy(), ["127.0.0.1:4000/../admin"])).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(setUpstreams(caddy(), ["{env.HOME}:80"])).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await getUpstreams(caddy())).toEqual(before);
  });

  it("says what to check when nothing listens on the admin port", async () => {
    await expect(getUpstreams({ ...caddy(), adminPort: 2999 })).rejects.toMatchObject({
      code: "HOST_UNREACHABLE",
      message: expect.stringMatching(/Caddy's admin API is not answering on app:127\.0\.0\.1:2999 .*is pxlfox-proxy running/),
    });
  });
});
