import http from "node:http";
import net from "node:net";
import Redis from "ioredis";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshPool } from "@/server/adapters/ssh/pool";
import { liveAppPort, loadFleet, type Fleet } from "@/server/adapters/ssh/testing/test-fleet";
import { openTunnel, withTunnel } from "./tunnel";

let fleet: Fleet;
const pool = new SshPool({ readyTimeoutMs: 10_000 });

beforeAll(async () => {
  fleet = await loadFleet();
});
afterAll(() => pool.closeAll());

/** "connected", "timeout", or the socket error's code. */
function tryConnect(host: string, port: number, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (outcome: string) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done("timeout"));
    socket.once("connect", () => done("connected"));
    socket.once("error", (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

function getJson(port: number, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, timeout: 10_000 }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      })
      .on("error", reject);
  });
}

describe("TCP tunnels through the pooled SSH connection", () => {
  it("reaches the app's loopback-only port (4000/4001), which is not reachable directly", async () => {
    const app = fleet.target("app");
    const port = await liveAppPort();
    expect(await tryConnect(app.address, port)).not.toBe("connected");

    const tunnel = await openTunnel(app, port, { pool });
    try {
      expect(tunnel.localHost).toBe("127.0.0.1");
      const { status, body } = await getJson(tunnel.localPort, "/api/v1/ping");
      expect(status).toBe(200);
      expect(body).toEqual({ ping: "pong" });
    } finally {
      await tunnel.close();
    }
    // Closed means closed: nothing listens on the local port any more.
    expect(await tryConnect("127.0.0.1", tunnel.localPort)).not.toBe("connected");
  });

  it("reaches MariaDB on the db host's 127.0.0.1:3306 (SELECT VERSION())", async () => {
    const { db } = fleet.status.stack;
    const version = await withTunnel(
      fleet.target("db"),
      3306,
      async (tunnel) => {
        const connection = await mysql.createConnection({
          host: tunnel.localHost,
          port: tunnel.localPort,
          user: db.user,
          password: db.password,
          database: db.name,
          connectTimeout: 10_000,
        });
        try {
          const [rows] = await connection.query<mysql.RowDataPacket[]>("SELECT VERSION() AS version");
          return String(rows[0]?.version);
        } finally {
          await connection.end();
        }
      },
      { pool },
    );
    expect(version).toMatch(/^\d+\.\d+/);
  });

  it("reaches Redis on the cache host's 127.0.0.1:6379 with its password (PING → PONG)", async () => {
    const { cache } = fleet.status.stack;
    const reply = await withTunnel(
      fleet.target("cache"),
      6379,
      async (tunnel) => {
        const redis = new Redis({
          host: tunnel.localHost,
          port: tunnel.localPort,
          password: cache.password,
          lazyConnect: true,
          maxRetriesPerRequest: 1,
          retryStrategy: () => null,
        });
        try {
          await redis.connect();
          return await redis.ping();
        } finally {
          redis.disconnect();
        }
      },
      { pool },
    );
    expect(reply).toBe("PONG");
  });

  it("reports a remote port with nothing listening, naming the host", async () => {
    const error = await withTunnel(
      fleet.target("cache"),
      6390,
      (tunnel) =>
        new Promise((resolve, reject) => {
          const socket = net.connect(tunnel.localPort, tunnel.localHost);
          socket.once("close", () => reject(new Error("socket closed")));
          socket.once("data", resolve);
        }),
      { pool },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "HOST_UNREACHABLE", host: "cache" });
    expect((error as Error).message).toMatch(/127\.0\.0\.1:6390 on cache \(10\.213\.77\.13:22\)/);
  });

  it("carries every tunnel over the one pooled connection per host", () => {
    expect(pool.stats("fleet-app").connectionsOpened).toBe(1);
    expect(pool.stats("fleet-db").connectionsOpened).toBe(1);
    expect(pool.stats("fleet-cache").connectionsOpened).toBe(1);
  });
});

describe("tunnel channel release", () => {
  it("frees each SSH channel when its local connection closes, so 30 requests never exhaust the cap", async () => {
    const app = fleet.target("app");
    // Caddy's admin API is always on the app host's loopback (the app itself moves between ports).
    const tunnel = await openTunnel(app, "127.0.0.1", 2019, { pool });
    try {
      for (let i = 0; i < 30; i++) {
        // agent: false → one TCP connection (and one SSH channel) per request, closed after it.
        const status = await new Promise<number>((resolve, reject) => {
          http
            .get(
              {
                host: "127.0.0.1",
                port: tunnel.localPort,
                path: "/config/",
                agent: false,
                timeout: 5_000,
                headers: { host: "127.0.0.1:2019" },
              },
              (res) => {
                res.resume();
                res.on("end", () => resolve(res.statusCode ?? 0));
              },
            )
            .on("error", reject);
        });
        expect(status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(pool.stats(app.hostId).channelsOpen).toBeLessThanOrEqual(1);
    } finally {
      await tunnel.close();
    }
  });
});
