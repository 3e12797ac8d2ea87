import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFleet } from "@/scripts/import-fleet";
import { db } from "@/server/db";
import { SshPool } from "@/server/adapters/ssh/pool";
import { pooledTransport } from "@/server/adapters/metrics/transport";
import { getOtherHostsOverview, runOtherHostsSweep } from "./other-hosts";

const pool = new SshPool({ readyTimeoutMs: 3000 });
let spareId = "";

beforeAll(async () => {
  await importFleet();
  // A host in no stack: the db host's machine registered a second time, with no service placed on it.
  const { id: _id, name: _name, createdAt: _c, updatedAt: _u, ...row } = await db.host.findUniqueOrThrow({ where: { name: "db" } });
  spareId = (await db.host.create({ data: { ...row, name: "spare" } })).id;
});
afterAll(async () => {
  pool.closeAll();
  await db.$disconnect();
  removeTestDataDir();
});

describe("hosts outside any stack", () => {
  it("are swept on their own: figures when they answer, down with the reason when not, and back by themselves", async () => {
    const sweep = await runOtherHostsSweep({ transport: pooledTransport(pool), cpuSampleMs: 200 });
    expect(sweep.stackId).toBe("");
    expect(sweep.checks.map((c) => c.subject)).toEqual(["host:spare"]);
    const ok = sweep.checks[0]!;
    expect(ok.status, String(ok.reason)).toBe("ok");
    expect(ok.metrics.mem).toBeGreaterThan(0);
    expect(ok.metrics.disk).toBeGreaterThan(0);
    expect((ok.details.mounts as { mount: string }[]).some((m) => m.mount === "/")).toBe(true);

    await db.host.update({ where: { id: spareId }, data: { sshPort: 2 } });
    try {
      const down = (await runOtherHostsSweep({ transport: pooledTransport(new SshPool({ readyTimeoutMs: 3000 })), cpuSampleMs: 200 }))
        .checks[0]!;
      expect(down.status).toBe("down");
      expect(down.failure?.category).toBe("refused");
      expect(down.reason).toMatch(/spare|10\.213\.77\.12/);
    } finally {
      await db.host.update({ where: { id: spareId }, data: { sshPort: 22 } });
    }
    expect((await runOtherHostsSweep({ transport: pooledTransport(pool), cpuSampleMs: 200 })).checks[0]!.status).toBe("ok");
  });

  it("a host whose key changed is down for the hostkey reason and is not contacted", async () => {
    await db.host.update({ where: { id: spareId }, data: { hostKeyState: "CHANGED" } });
    try {
      const c = (await runOtherHostsSweep({ transport: pooledTransport(pool) })).checks[0]!;
      expect(c.status).toBe("down");
      expect(c.failure).toMatchObject({ category: "hostkey", code: "HOST_KEY_MISMATCH" });
    } finally {
      await db.host.update({ where: { id: spareId }, data: { hostKeyState: "PINNED" } });
    }
    expect((await getOtherHostsOverview()).hosts.map((h) => h.name)).toEqual(["spare"]);
  });
});
