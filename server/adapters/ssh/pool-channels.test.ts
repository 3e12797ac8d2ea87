import { afterEach, describe, expect, it } from "vitest";
import type { ClientChannel } from "ssh2";
import { fakeClientFactory } from "@/server/adapters/ssh/testing/fake-ssh";
import { computeFingerprint } from "./fingerprint";
import { SshPool, type SshPoolOptions } from "./pool";
import type { ChannelPurpose, SshTarget } from "./types";

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
const ticks = async (n = 5) => {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
};
const pools: SshPool[] = [];

function makePool(options: SshPoolOptions = {}) {
  const fake = fakeClientFactory(() => ({ kind: "ready", hostKey: HOST_KEY }));
  const pool = new SshPool({ createClient: fake.createClient, ...options });
  pools.push(pool);
  const open = (purpose: ChannelPurpose, command: string) => pool.exec(target, command, { action: `run ${command}`, purpose });
  return { pool, clients: fake.clients, open };
}

/** Settles to "open" once the channel is handed out, so a test can tell queued from granted. */
function track(pending: Promise<ClientChannel>) {
  const state: { status: "waiting" | "open" | "failed"; channel?: ClientChannel; error?: unknown } = { status: "waiting" };
  pending.then(
    (channel) => Object.assign(state, { status: "open", channel }),
    (error: unknown) => Object.assign(state, { status: "failed", error }),
  );
  return state;
}

afterEach(() => {
  for (const pool of pools.splice(0)) pool.closeAll();
});

describe("SshPool channel purposes", () => {
  it("gives log streams at most 3 of the 8 channels by default, and says so in stats", () => {
    const { pool } = makePool();
    expect(pool.stats("h1").limits).toEqual({ total: 8, stream: 3 });
    expect(makePool({ maxChannels: 2 }).pool.stats("h1").limits).toEqual({ total: 2, stream: 1 });
    expect(() => new SshPool({ maxChannels: 4, maxStreamChannels: 5 })).toThrow(/Stream channel cap/);
  });

  it("opens an operation at once while a viewer holds every log-stream channel", async () => {
    const { pool, open } = makePool();
    const streams = await Promise.all([1, 2, 3].map((i) => open("stream", `tail ${i}`)));
    const fourth = track(open("stream", "tail 4"));
    const deploy = track(open("operation", "docker pull"));
    const backup = track(open("operation", "mysqldump"));
    await ticks();
    expect(deploy.status).toBe("open");
    expect(backup.status).toBe("open");
    expect(fourth.status).toBe("waiting");
    expect(pool.stats("h1")).toMatchObject({
      channelsOpen: 5,
      queued: 1,
      byPurpose: { stream: { open: 3, queued: 1 }, operation: { open: 2, queued: 0 } },
    });
    streams[0]!.close();
    await ticks();
    expect(fourth.status).toBe("open");
  });

  it("ends a stream's wait with an error naming the host, what waited and what holds the channels", async () => {
    const { pool, open } = makePool({ streamWaitMs: 50 });
    const streams = await Promise.all([1, 2, 3].map((i) => open("stream", `tail ${i}`)));
    await open("operation", "docker pull");
    const error = await open("stream", "tail 4").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "HOST_TIMEOUT", host: "app", data: { reason: "channel-wait-timeout", purpose: "stream" } });
    expect((error as Error).message).toBe(
      "Could not run tail 4 on app (10.213.77.11:22): no SSH channel became free within 0.1 s " +
        "(4 of 8 SSH channels in use: 3 log streams, 1 operation). " +
        "Log streams may use 3 of them and all 3 are open: close a log view on this host (any user's, in any tab), or retry in a moment.",
    );
    // The timed-out request left the queue and took no slot: closing a stream lets the next one in at once.
    expect(pool.stats("h1").byPurpose.stream).toEqual({ open: 3, queued: 0 });
    streams[0]!.close();
    await ticks();
    const next = track(open("stream", "tail 5"));
    await ticks();
    expect(next.status).toBe("open");
  });

  it("ends an operation's wait after its own timeout, and the failed waits leak no slot", async () => {
    const { pool, open } = makePool({ maxChannels: 2, operationWaitMs: 40 });
    const held = await Promise.all([open("operation", "restore"), open("operation", "backup")]);
    const error = await open("operation", "docker pull").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "HOST_TIMEOUT", data: { purpose: "operation" } });
    expect((error as Error).message).toMatch(/^Could not run docker pull on app \(10\.213\.77\.11:22\): no SSH channel became free within/);
    expect((error as Error).message).toMatch(/\(2 of 2 SSH channels in use: 0 log streams, 2 operations\)\. Deploys, backups/);
    for (const channel of held) channel.close();
    await ticks();
    expect(pool.stats("h1")).toMatchObject({ channelsOpen: 0, queued: 0 });
  });

  it("serves a waiting operation before a stream that waited longer", async () => {
    const { pool, clients, open } = makePool({ maxChannels: 3, maxStreamChannels: 2 });
    const held = await Promise.all([open("operation", "op 1"), open("operation", "op 2"), open("operation", "op 3")]);
    const stream = track(open("stream", "tail"));
    await ticks();
    const late = track(open("operation", "op 4"));
    await ticks();
    held[0].close();
    await ticks();
    expect(late.status).toBe("open");
    expect(stream.status).toBe("waiting");
    held[1].close();
    await ticks();
    expect(stream.status).toBe("open");
    expect(clients[0]!.commands).toEqual(["op 1", "op 2", "op 3", "op 4", "tail"]);
    expect(pool.stats("h1").byPurpose).toEqual({ stream: { open: 1, queued: 0 }, operation: { open: 2, queued: 0 } });
  });

  it("lets operations use the free log-stream channels too", async () => {
    const { pool, open } = makePool({ maxChannels: 4, maxStreamChannels: 2 });
    const ops = await Promise.all([1, 2, 3, 4].map((i) => open("operation", `op ${i}`)));
    expect(pool.stats("h1").byPurpose.operation.open).toBe(4);
    for (const channel of ops) channel.close();
  });

  it("keeps operations flowing at full speed while the stream budget is full", async () => {
    const { pool, open } = makePool();
    await Promise.all([1, 2, 3].map((i) => open("stream", `tail ${i}`)));
    const waitingStream = track(open("stream", "tail 4"));
    // A deploy and a backup: 20 short commands, 5 at a time (the 5 channels operations keep); none waits.
    for (let batch = 0; batch < 4; batch += 1) {
      const steps = [0, 1, 2, 3, 4].map((i) => track(open("operation", `step ${batch}.${i}`)));
      await ticks();
      expect(steps.map((s) => s.status)).toEqual(["open", "open", "open", "open", "open"]);
      expect(pool.stats("h1").byPurpose.operation).toEqual({ open: 5, queued: 0 });
      for (const step of steps) step.channel!.close();
      await ticks(2);
    }
    expect(waitingStream.status).toBe("waiting");
    expect(pool.stats("h1").byPurpose).toEqual({ stream: { open: 3, queued: 1 }, operation: { open: 0, queued: 0 } });
  });

  it("rejects queued streams and operations when the host's connection is closed", async () => {
    const { pool, open } = makePool({ maxChannels: 2, maxStreamChannels: 1 });
    await Promise.all([open("stream", "tail"), open("operation", "op")]);
    const stream = open("stream", "tail 2").catch((e: unknown) => e);
    const op = open("operation", "op 2").catch((e: unknown) => e);
    await ticks();
    pool.closeHost("h1");
    expect(await stream).toMatchObject({ code: "HOST_UNREACHABLE" });
    expect(await op).toMatchObject({ code: "HOST_UNREACHABLE" });
  });
});

describe("SshPool on a stuck connection", () => {
  it("fails a channel open the host leaves unanswered, drops the connection, and the next call reconnects", async () => {
    const { clients, open } = makePool({ channelOpenTimeoutMs: 50 });
    (await open("operation", "true")).close();
    clients[0]!.stalled = true;
    const started = performance.now();
    await expect(open("operation", "echo stuck")).rejects.toMatchObject({
      code: "HOST_TIMEOUT",
      message: expect.stringContaining("did not answer for 0.05 s on an open SSH connection"),
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(clients[0]!.ended).toBe(true);
    // The next call does not wait on the stuck connection: it opens a new one.
    const channel = await open("operation", "echo again");
    expect(clients).toHaveLength(2);
    expect(clients[1]!.commands).toEqual(["echo again"]);
    channel.close();
  });
});
