import mysql, { type Connection } from "mysql2/promise";
import { withTunnel } from "@/server/adapters/tunnel/tunnel";
import { describeTarget, type SshTarget } from "@/server/adapters/ssh/types";
import { AppError, isAppError } from "@/server/errors";

export interface MysqlCredentials {
  user: string;
  password: string;
  database?: string;
  /** Port on the db host (default 3306). */
  port?: number;
  /** Address on the db host it listens on: 127.0.0.1 (default), or the private address a provisioned db publishes on. */
  host?: string;
}

/**
 * Runs `fn` with a mysql2 connection to the db host's loopback MySQL through an SSH tunnel
 * (the database port is never exposed to the panel's network), closing both afterwards.
 */
export async function withMysql<T>(target: SshTarget, creds: MysqlCredentials, fn: (conn: Connection) => Promise<T>): Promise<T> {
  return withTunnel(
    target,
    creds.port ?? 3306,
    async (tunnel) => {
      let conn: Connection;
      try {
        conn = await mysql.createConnection({
          host: tunnel.localHost,
          port: tunnel.localPort,
          user: creds.user,
          password: creds.password,
          database: creds.database,
          connectTimeout: 10_000,
          multipleStatements: true,
          supportBigNumbers: true,
          bigNumberStrings: false,
        });
      } catch (err) {
        throw mapMysqlError(err, target, "connect to MySQL");
      }
      try {
        return await fn(conn);
      } finally {
        await conn.end().catch(() => conn.destroy());
      }
    },
    { remoteHost: creds.host },
  );
}

/** Names the host and the server's own message; a wrong password says which user. */
export function mapMysqlError(err: unknown, target: SshTarget, action: string): AppError {
  if (isAppError(err)) return err;
  const e = err as { code?: string; sqlMessage?: string; message?: string };
  const text = e.sqlMessage ?? e.message ?? String(err);
  const host = describeTarget(target);
  if (e.code === "ER_ACCESS_DENIED_ERROR") {
    return new AppError(
      "HOST_AUTH_FAILED",
      `MySQL on ${host} refused the credentials: ${text}. Check the db container's MYSQL_USER/MYSQL_PASSWORD.`,
      { host: target.name, action, cause: err },
    );
  }
  return new AppError("REMOTE_FAILED", `MySQL on ${host} failed to ${action}: ${text}`, { host: target.name, action, cause: err });
}
