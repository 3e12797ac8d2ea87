import type { Connection, RowDataPacket } from "mysql2/promise";
import type { MigrationDb } from "@/server/services/migrations/migrate-runner";

const TABLE = "schema_migrations";

/**
 * golang-migrate's MySQL driver behaviour on one connection (GET_LOCK is per session, so lock,
 * version writes and migration SQL share it): version table, SetVersion in a transaction.
 */
export function createMigrationDb(conn: Connection, database: string): MigrationDb {
  return {
    database,
    async getLock(name, timeoutS) {
      const [rows] = await conn.query<RowDataPacket[]>("SELECT GET_LOCK(?, ?) AS ok", [name, timeoutS]);
      return Number(rows[0]?.ok) === 1;
    },
    async releaseLock(name) {
      await conn.query("SELECT RELEASE_LOCK(?)", [name]);
    },
    async ensureVersionTable() {
      await conn.query(`CREATE TABLE IF NOT EXISTS \`${TABLE}\` (version bigint not null primary key, dirty boolean not null)`);
    },
    async hasVersionTable() {
      const [tables] = await conn.query<RowDataPacket[]>("SHOW TABLES LIKE ?", [TABLE]);
      return tables.length > 0;
    },
    async readVersion() {
      return readMigrationVersion(conn);
    },
    async setVersion(version, dirty) {
      await conn.beginTransaction();
      try {
        // Same as golang-migrate: DELETE (not TRUNCATE, which would commit), then one row unless nil and clean.
        await conn.query(`DELETE FROM \`${TABLE}\``);
        if (version !== null || dirty)
          await conn.query(`INSERT INTO \`${TABLE}\` (version, dirty) VALUES (?, ?)`, [version ?? -1, dirty ? 1 : 0]);
        await conn.commit();
      } catch (err) {
        await conn.rollback().catch(() => undefined);
        throw err;
      }
    },
    async execute(sql) {
      await conn.query(sql);
    },
  };
}

/** Reads (version, dirty); a missing table or row means no migration applied. */
export async function readMigrationVersion(conn: Connection): Promise<{ version: number | null; dirty: boolean }> {
  const [tables] = await conn.query<RowDataPacket[]>("SHOW TABLES LIKE ?", [TABLE]);
  if (tables.length === 0) return { version: null, dirty: false };
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT version, dirty FROM \`${TABLE}\` LIMIT 1`);
  const row = rows[0];
  if (!row) return { version: null, dirty: false };
  const version = Number(row.version);
  return { version: version < 0 ? null : version, dirty: Boolean(Number(row.dirty)) };
}
