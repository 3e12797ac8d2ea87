import Redis from "ioredis";
import { withTunnel } from "@/server/adapters/tunnel/tunnel";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";
import { pooledTransport, type ProbeTransport } from "@/server/adapters/metrics/transport";

/** PING's round trip and the raw INFO text of a Redis-protocol cache. */
export interface CacheInfoText {
  pingMs: number;
  info: string;
}

/**
 * PING and INFO through an SSH tunnel to the cache host's 127.0.0.1:`port`, with the password.
 * One attempt, no reconnect loop: a down cache must fail fast. Security: the password is only
 * sent inside the SSH connection.
 */
export async function readCacheInfo(
  target: SshTarget,
  password: string | null,
  port = 6379,
  transport: ProbeTransport = pooledTransport(),
  /** Where the cache listens on its host (a provisioned cache: its private address). */
  remoteHost = "127.0.0.1",
): Promise<CacheInfoText> {
  return transport.use((pool) =>
    withTunnel(
      target,
      port,
      async (tunnel) => {
        const client = new Redis({
          host: tunnel.localHost,
          port: tunnel.localPort,
          password: password ?? undefined,
          lazyConnect: true,
          connectTimeout: 5000,
          commandTimeout: 5000,
          maxRetriesPerRequest: 0,
          enableOfflineQueue: false,
          retryStrategy: () => null,
        });
        client.on("error", () => undefined);
        try {
          await client.connect();
          const started = performance.now();
          const pong: string = await client.ping();
          const pingMs = Math.round(performance.now() - started);
          if (pong !== "PONG")
            throw new AppError("REMOTE_FAILED", `The cache on ${target.name} answered PING with ${pong}.`, { host: target.name });
          return { pingMs, info: await client.info() };
        } catch (err) {
          const message = (err as Error).message ?? "";
          if (/NOAUTH|WRONGPASS|invalid password/i.test(message)) {
            throw new AppError("REMOTE_FAILED", `The cache on ${target.name} refused the password: check --requirepass / CACHE_PASSWORD.`, {
              host: target.name,
              data: { reason: "auth" },
            });
          }
          throw err;
        } finally {
          client.disconnect();
        }
      },
      { pool, remoteHost },
    ),
  );
}
