import { afterEach, describe, expect, it } from "vitest";
import { fakeClientFactory, type FakeConnectBehaviour } from "@/server/adapters/ssh/testing/fake-ssh";
import { computeFingerprint } from "./fingerprint";
import { getSshPool, SshPool } from "./pool";
import type { SshTarget } from "./types";

const HOST_KEY = Buffer.from("fake-host-key");
const target: SshTarget = {
  hostId: "h1",
  name: "app",
  address: "10.213.77.11",
  port: 22,
  username: "root",
  privateKey: "key-1",
  pinnedFingerprint: computeFingerprint(HOST_KEY),
  dockerSocket: "/run/docker.sock",
};
const tick = () => new Promise((resolve) => setImmediate(resolve));
const pools: SshPool[] = [];

function makePool(behaviour: () => FakeConnectBehaviour = () => ({ kind: "ready", hostKey: HOST_KEY }), options = {}) {
  const fake = fakeClientFactory(behaviour);
  const pool = new SshPool({ createClient: fake.createClient, ...options });
  pools.push(pool);
  return { pool, clients: fake.clients };
}

afterEach(() => {
  for (const pool of pools.splice(0)) pool.closeAll();
});

describe("SshPool channel cap", () => {
  it("queues channels beyond the cap and hands slots on as channels close", async () => {
    const { pool, clients } = makePool(undefined, { maxChannels: 2 });
    const pending = Array.from({ length: 5 }, (_, i) => pool.exec(target, `cmd ${i}`, { action: "test" }));
    for (let i = 0; i < 5; i += 1) await tick();
    expect(pool.stats("h1")).toMatchObject({ channelsOpen: 2, queued: 3, connectionsOpened: 1 });

    const first = await pending[0]!;
    first.close();
    for (let i = 0; i < 3; i += 1) await tick();
    expect(pool.stats("h1")).toMatchObject({ channelsOpen: 2, queued: 2 });

    // cmd 1 held its slot from the start; cmd 2 got the slot cmd 0 gave back.
    const [second, third] = await Promise.all([pending[1]!, pending[2]!]);
    second.close();
    third.close();
    for (let i = 0; i < 5; i += 1) await tick();
    expect(pool.stats("h1")).toMatchObject({ channelsOpen: 2, queued: 0 });
    for (const channel of await Promise.all(pending.slice(3))) channel.close();
    await tick();
    expect(pool.stats("h1")).toMatchObject({ channelsOpen: 0, queued: 0 });
    expect(clients).toHaveLength(1);
    expect(clients[0]!.commands).toEqual(["cmd 0", "cmd 1", "cmd 2", "cmd 3", "cmd 4"]);
  });
});

describe("SshPool connections", () => {
  it("shares one pending connect between concurrent callers", async () => {
    const { pool, clients } = makePool();
    await Promise.all(Array.from({ length: 10 }, () => pool.connect(target)));
    expect(clients).toHaveLength(1);
    expect(pool.stats("h1")).toMatchObject({ connectionsOpened: 1, connectAttempts: 1, isConnected: true });
  });

  it("offers only the private key and pins the host key", async () => {
    const { pool, clients } = makePool();
    await pool.connect(target);
    const config = clients[0]!.config!;
    expect(config).toMatchObject({
      host: "10.213.77.11",
      port: 22,
      username: "root",
      privateKey: "key-1",
      tryKeyboard: false,
      keepaliveInterval: 10_000,
      keepaliveCountMax: 3,
      readyTimeout: 10_000,
    });
    expect(config.password).toBeUndefined();
    expect(config.agent).toBeUndefined();
  });

  it("refuses an unpinned host before any command is sent", async () => {
    const { pool, clients } = makePool();
    const error = await pool.exec({ ...target, pinnedFingerprint: null }, "touch /tmp/x", { action: "run touch" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "HOST_KEY_UNPINNED", data: { fingerprint: computeFingerprint(HOST_KEY) } });
    expect(clients[0]!.commands).toEqual([]);
    expect(pool.stats("h1").channelsOpen).toBe(0);
  });

  it("refuses a changed host key with HOST_KEY_MISMATCH", async () => {
    const { pool, clients } = makePool(() => ({ kind: "ready", hostKey: Buffer.from("another-key") }));
    const error = await pool.exec(target, "true", { action: "run true" }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "HOST_KEY_MISMATCH",
      data: { expected: target.pinnedFingerprint, presented: computeFingerprint(Buffer.from("another-key")) },
    });
    expect(clients[0]!.commands).toEqual([]);
  });

  it("reconnects lazily after a drop", async () => {
    const { pool, clients } = makePool();
    await pool.connect(target);
    clients[0]!.drop();
    expect(pool.stats("h1").isConnected).toBe(false);
    await pool.connect(target);
    expect(clients).toHaveLength(2);
    expect(pool.stats("h1").connectionsOpened).toBe(2);
  });

  it("invalidates the connection when the key, address or pin changes", async () => {
    const { pool, clients } = makePool();
    await pool.connect(target);
    await pool.connect({ ...target, privateKey: "key-2" });
    expect(clients[0]!.ended).toBe(true);
    expect(clients).toHaveLength(2);
    await pool.connect({ ...target, privateKey: "key-2" });
    expect(clients).toHaveLength(2);
  });

  it("closeHost ends the connection and notifies listeners", async () => {
    const { pool, clients } = makePool();
    const closed: string[] = [];
    pool.onConnectionClosed((hostId) => closed.push(hostId));
    await pool.connect(target);
    pool.closeHost("h1");
    expect(clients[0]!.ended).toBe(true);
    expect(closed).toContain("h1");
    expect(pool.stats("h1").isConnected).toBe(false);
  });
});

describe("SshPool backoff", () => {
  const refused = (): FakeConnectBehaviour => ({
    kind: "error",
    error: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
  });

  it("remembers a failed connect and does not hammer the host", async () => {
    const { pool, clients } = makePool(refused, { backoffInitialMs: 10_000 });
    await expect(pool.connect(target)).rejects.toMatchObject({ code: "HOST_UNREACHABLE" });
    const again = await pool.connect(target).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: "HOST_UNREACHABLE" });
    expect((again as Error).message).toMatch(/retries automatically in/);
    expect(clients).toHaveLength(1);
  });

  it("lets an explicit test (force) or reset bypass the backoff", async () => {
    const { pool, clients } = makePool(refused, { backoffInitialMs: 10_000 });
    await pool.connect(target).catch(() => undefined);
    await pool.connect(target, { force: true }).catch(() => undefined);
    expect(clients).toHaveLength(2);
    pool.reset("h1");
    await pool.connect(target).catch(() => undefined);
    expect(clients).toHaveLength(3);
  });

  it("retries once the backoff has passed, doubling it each time", async () => {
    const { pool, clients } = makePool(refused, { backoffInitialMs: 20, backoffMaxMs: 40 });
    await pool.connect(target).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 30));
    await pool.connect(target).catch(() => undefined);
    expect(clients).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 25));
    await pool.connect(target).catch(() => undefined);
    expect(clients).toHaveLength(2); // second delay is 40 ms
    await new Promise((r) => setTimeout(r, 25));
    await pool.connect(target).catch(() => undefined);
    expect(clients).toHaveLength(3);
  });

  it("forgets the failure when the host's settings change", async () => {
    const { pool, clients } = makePool(refused, { backoffInitialMs: 10_000 });
    await pool.connect(target).catch(() => undefined);
    await pool.connect({ ...target, port: 2222 }).catch(() => undefined);
    expect(clients).toHaveLength(2);
  });
});

describe("getSshPool", () => {
  it("returns one process-wide pool, kept on globalThis across module reloads", () => {
    expect(getSshPool()).toBe(getSshPool());
    expect((globalThis as Record<symbol, unknown>)[Symbol.for("pixelfox.sshPool")]).toBe(getSshPool());
  });
});
