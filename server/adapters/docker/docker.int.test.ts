import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshPool } from "@/server/adapters/ssh/pool";
import { loadFleet, type Fleet } from "@/server/adapters/ssh/testing/test-fleet";
import { getDockerode } from "./docker-client";

let fleet: Fleet;
const pool = new SshPool({ readyTimeoutMs: 10_000 });

beforeAll(async () => {
  fleet = await loadFleet();
});
afterAll(() => pool.closeAll());

describe("Docker Engine API over SSH stream-local forwarding", () => {
  it("serves 20 concurrent Docker calls over one pooled connection, within the channel cap", async () => {
    const app = fleet.target("app");
    const docker = getDockerode(app, pool);
    let peakChannels = 0;
    let peakQueued = 0;
    const sampler = setInterval(() => {
      const s = pool.stats(app.hostId);
      peakChannels = Math.max(peakChannels, s.channelsOpen);
      peakQueued = Math.max(peakQueued, s.queued);
    }, 1);
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? docker.version() : docker.listContainers({ all: true }))),
      );
      expect(results).toHaveLength(20);
    } finally {
      clearInterval(sampler);
    }
    const stats = pool.stats(app.hostId);
    console.info(`20 Docker calls: peak ${peakChannels} channels open, peak ${peakQueued} queued, ${stats.connectionsOpened} connection`);
    expect(stats.connectionsOpened).toBe(1);
    expect(peakChannels).toBeLessThanOrEqual(8);
    expect(peakChannels).toBeGreaterThan(0);
    expect(peakQueued).toBeGreaterThan(0); // the cap really queued the rest
    // Channels are given back once each request finishes.
    await new Promise((r) => setTimeout(r, 200));
    expect(pool.stats(app.hostId)).toMatchObject({ channelsOpen: 0, queued: 0 });
    expect(getDockerode(app, pool)).toBe(docker);
  });

  it("drops the cached client with the connection", () => {
    const app = fleet.target("app");
    const docker = getDockerode(app, pool);
    pool.closeHost(app.hostId);
    expect(getDockerode(app, pool)).not.toBe(docker);
  });

  it("reports a missing Docker socket as DOCKER_SOCKET_MISSING, naming the host", async () => {
    const target = fleet.target("db", { dockerSocket: "/run/nope.sock" });
    const error = await getDockerode(target, pool)
      .version()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "DOCKER_SOCKET_MISSING", host: "db" });
    expect((error as Error).message).toBe(
      "No Docker socket at /run/nope.sock on db (10.213.77.12:22): is Docker installed and running, and is the socket path right?",
    );
    expect(pool.stats(target.hostId).channelsOpen).toBe(0);
  });
});
