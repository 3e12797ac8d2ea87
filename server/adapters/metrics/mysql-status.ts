import mysql from "mysql2/promise";
import { withTunnel } from "@/server/adapters/tunnel/tunnel";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";
import { pooledTransport, type ProbeTransport } from "./transport";

/** What the health view shows for the MySQL/MariaDB server. */
export interface MysqlStatus {
  version: string;
  uptimeS: number;
  threadsConnected: number;
  threadsRunning: number;
  slowQueries: number;
  maxConnections: number;
  maxUsedConnections: number;
  databaseBytes: number | null;
  replication: string | null;
}

export interface MysqlCredentials {
  user: string;
  password: string;
  database: string;
}

const STATUS_NAMES = ["Uptime", "Threads_connected", "Threads_running", "Slow_queries", "Max_used_connections"];

/**
 * Connect with mysql2 through an SSH tunnel to the db host's 127.0.0.1:`port` and read status.
 * Security: the password travels only inside the SSH connection and is never logged.
 */
export async function readMysqlStatus(
  target: SshTarget,
  creds: MysqlCredentials,
  port = 3306,
  transport: ProbeTransport = pooledTransport(),
  /** Where MySQL listens on its host (a provisioned db: its private address). */
  remoteHost = "127.0.0.1",
): Promise<MysqlStatus> {
  return transport.use((pool) =>
    withTunnel(
      target,
      port,
      async (tunnel) => {
        const conn = await mysql
          .createConnection({
            host: tunnel.localHost,
            port: tunnel.localPort,
            user: creds.user,
            password: creds.password,
            database: creds.database,
            connectTimeout: 5000,
          })
          .catch((err: { code?: string; message?: string }) => {
            if (err.code === "ER_ACCESS_DENIED_ERROR")
              throw new AppError(
                "REMOTE_FAILED",
                `MySQL on ${target.name} refused user ${creds.user}: check the db container's credentials.`,
                { host: target.name, data: { reason: "auth" } },
              );
            throw err;
          });
        try {
          const [[versionRow]] = (await conn.query("SELECT VERSION() AS v")) as unknown as [{ v: string }[]];
          const [statusRows] = (await conn.query("SHOW GLOBAL STATUS WHERE Variable_name IN (?)", [STATUS_NAMES])) as unknown as [
            { Variable_name: string; Value: string }[],
          ];
          const [varRows] = (await conn.query("SHOW GLOBAL VARIABLES LIKE 'max_connections'")) as unknown as [{ Value: string }[]];
          const [[sizeRow]] = (await conn.query(
            "SELECT SUM(data_length + index_length) AS b FROM information_schema.tables WHERE table_schema = ?",
            [creds.database],
          )) as unknown as [{ b: string | null }[]];
          const replication = await conn.query("SHOW SLAVE STATUS").then(
            ([rows]) => {
              const row = (rows as Record<string, unknown>[])[0];
              return row
                ? `IO ${String(row.Slave_IO_Running)}, SQL ${String(row.Slave_SQL_Running)}, ${String(row.Seconds_Behind_Master)} s behind`
                : "none";
            },
            () => null,
          );
          const status = new Map(statusRows.map((r) => [r.Variable_name, Number(r.Value)]));
          return {
            version: versionRow?.v ?? "unknown",
            uptimeS: status.get("Uptime") ?? 0,
            threadsConnected: status.get("Threads_connected") ?? 0,
            threadsRunning: status.get("Threads_running") ?? 0,
            slowQueries: status.get("Slow_queries") ?? 0,
            maxUsedConnections: status.get("Max_used_connections") ?? 0,
            maxConnections: Number(varRows[0]?.Value ?? 0),
            databaseBytes: sizeRow?.b == null ? null : Number(sizeRow.b),
            replication,
          };
        } finally {
          await conn.end().catch(() => undefined);
        }
      },
      { pool, remoteHost },
    ),
  );
}
