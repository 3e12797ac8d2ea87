import type { Connection, RowDataPacket } from "mysql2/promise";

/** Exact row counts of every base table in the connection's database (recorded for restore drills). */
export async function countTableRows(conn: Connection): Promise<Record<string, number>> {
  const [tables] = await conn.query<RowDataPacket[]>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const name = String(t.name);
    // Security: the name comes from information_schema; backticks inside it are doubled.
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${name.replace(/`/g, "``")}\``);
    counts[name] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

/** "10.11.18-MariaDB" and whether the server is MariaDB (no --set-gtid-purged, mariadb-dump). */
export async function readServerVersion(conn: Connection): Promise<{ version: string; isMariaDb: boolean }> {
  const [rows] = await conn.query<RowDataPacket[]>("SELECT VERSION() AS v");
  const version = String(rows[0]?.v ?? "unknown");
  return { version, isMariaDb: /mariadb/i.test(version) };
}
