import Redis from "ioredis";
import { withTunnel } from "@/server/adapters/tunnel/tunnel";
import type { SshTarget } from "@/server/adapters/ssh/types";

/** What a cache said to a client without a password and to one with it. */
export interface CacheAuthProbe {
  /** The answer to PING without AUTH: "PONG" (open to anyone who reaches it), or the error (NOAUTH…). */
  anonymous: string;
  /** The answer to PING after AUTH with the password, or the error. */
  authenticated: string;
}

/**
 * PING twice through an SSH tunnel to the cache on its host (`host:port` as the cache host sees it):
 * once without a password, once with it. Security: the password only travels inside the SSH connection.
 */
export async function probeCacheAuth(target: SshTarget, host: string, port: number, password: string | null): Promise<CacheAuthProbe> {
  return withTunnel(
    target,
    port,
    async (tunnel) => {
      const ping = async (pw: string | null) => {
        const client = new Redis({
          host: tunnel.localHost,
          port: tunnel.localPort,
          password: pw ?? undefined,
          lazyConnect: true,
          connectTimeout: 5000,
          commandTimeout: 5000,
          maxRetriesPerRequest: 0,
          enableOfflineQueue: false,
          retryStrategy: () => null,
          // Without a password, the ready check's INFO gets NOAUTH and ioredis closes the connection: the
          // answer would read "Connection is closed." instead of the cache's own refusal.
          enableReadyCheck: false,
        });
        client.on("error", () => undefined);
        try {
          await client.connect();
          return await client.ping();
        } catch (err) {
          return err instanceof Error ? err.message.split("\n")[0]! : String(err);
        } finally {
          client.disconnect();
        }
      };
      return { anonymous: await ping(null), authenticated: password ? await ping(password) : "no password given" };
    },
    { remoteHost: host },
  );
}
