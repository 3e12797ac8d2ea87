import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFleet } from "@/scripts/import-fleet";
import { db } from "@/server/db";
import { SshPool } from "@/server/adapters/ssh/pool";
import { pooledTransport } from "@/server/adapters/metrics/transport";
import { checkHost } from "./check-host";
import type { ContainerUsage } from "./types";
import { readContainerStats } from "@/server/adapters/metrics/container-stats";
import { loadStackTopology } from "./topology";
import { runHealthSweep } from "./sweep";

const pool = new SshPool({ readyTimeoutMs: 3000 });

beforeAll(async () => {
  await importFleet();
});
afterAll(async () => {
  pool.closeAll();
  await db.$disconnect();
  removeTestDataDir();
});

describe("runHealthSweep against the sandbox fleet", () => {
  it("reports every host and service ok, with their figures", async () => {
    const sweep = await runHealthSweep("pixelfox", { transport: pooledTransport(pool), cpuSampleMs: 300 });
    const by = new Map(sweep.checks.map((c) => [c.subject, c]));
    for (const c of sweep.checks) expect(c.status, `${c.subject}: ${c.reason}`).toBe("ok");
    expect([...by.keys()].sort()).toEqual([
      "app@app",
      "cache@cache",
      "db@db",
      "external",
      "host:app",
      "host:cache",
      "host:db",
      "proxy@app",
    ]);
    const app = by.get("app@app")!;
    expect(app.details.tag).toMatch(/^v\d/);
    expect([4000, 4001]).toContain(app.details.port);
    expect(by.get("db@db")!.details.version).toMatch(/MariaDB|^\d/);
    expect(by.get("db@db")!.metrics.connections).toBeGreaterThan(0);
    // Each service's own container CPU and memory, from the host's Docker stats, for its charts.
    for (const subject of ["app@app", "db@db", "cache@cache", "proxy@app"])
      expect(by.get(subject)!.metrics.containerMem, subject).toBeGreaterThan(0);
    expect(by.get("cache@cache")!.details.passwordSet).toBe(true);
    expect(by.get("cache@cache")!.details.version).toMatch(/^7\./);
    const host = by.get("host:app")!;
    expect(host.metrics.cpu).toBeGreaterThanOrEqual(0);
    expect(host.metrics.mem).toBeGreaterThan(0);
    expect((host.details.mounts as { mount: string }[]).some((m) => m.mount === "/")).toBe(true);
    expect((host.details.containers as { name: string }[]).map((c) => c.name)).toContain("pxlfox-app");
    expect(by.get("proxy@app")!.details.tls).toMatchObject({ checked: false });
    // One connection per host, reused by every probe, and every channel given back.
    await new Promise((r) => setTimeout(r, 500));
    for (const h of await db.host.findMany()) {
      expect(pool.stats(h.id).connectionsOpened).toBe(1);
      expect(pool.stats(h.id).channelsOpen, `channels left open on ${h.name}`).toBe(0);
    }
  });

  it("reads each container's CPU and memory from its cgroup, agreeing with the Docker stats API", async () => {
    const app = await db.host.findUniqueOrThrow({ where: { name: "app" } });
    const target = (await loadStackTopology("pixelfox")).hosts.find((h) => h.id === app.id)!.target!;
    const transport = pooledTransport(pool);
    await checkHost(app, target, transport, 300);
    const steady = await checkHost(app, target, transport, 300);
    const viaDocker = await readContainerStats(target, transport);
    const containers = steady.details.containers as ContainerUsage[];
    expect(containers.map((c) => c.name).sort()).toEqual(viaDocker.containers.map((c) => c.name).sort());
    for (const c of containers) {
      const docker = viaDocker.containers.find((d) => d.name === c.name)!;
      expect(c.source, c.name).toBe("cgroup");
      expect(c.cpuPct, c.name).toBeGreaterThanOrEqual(0);
      expect(c.memBytes / docker.memBytes, `${c.name} memory: ${c.memBytes} here, ${docker.memBytes} by docker stats`).toBeGreaterThan(
        0.75,
      );
      expect(c.memBytes / docker.memBytes, c.name).toBeLessThan(1.33);
      expect(c.memLimitBytes, c.name).toBe(docker.memLimitBytes);
    }
  });

  it("a host that does not answer is down with the reason, and recovers by itself", async () => {
    const cache = await db.host.findUniqueOrThrow({ where: { name: "cache" } });
    await db.host.update({ where: { id: cache.id }, data: { sshPort: 2 } });
    try {
      const sweep = await runHealthSweep("pixelfox", { transport: pooledTransport(pool), cpuSampleMs: 200 });
      const host = sweep.checks.find((c) => c.subject === "host:cache")!;
      expect(host.status).toBe("down");
      expect(host.failure?.category).toBe("refused");
      expect(sweep.checks.find((c) => c.subject === "cache@cache")!.status).toBe("down");
      expect(sweep.checks.find((c) => c.subject === "host:db")!.status).toBe("ok");
    } finally {
      await db.host.update({ where: { id: cache.id }, data: { sshPort: cache.sshPort } });
    }
    const again = await runHealthSweep("pixelfox", { transport: pooledTransport(pool), cpuSampleMs: 200 });
    expect(again.checks.find((c) => c.subject === "cache@cache")!.status).toBe("ok");
  });
});
