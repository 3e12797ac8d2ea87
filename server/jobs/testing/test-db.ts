import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * Test support: a fresh SQLite store per test file, migrated from prisma/migrations.
 * Import this module BEFORE anything that imports server/db (the client reads the env once).
 */
export const testDataDir = mkdtempSync(path.join(tmpdir(), "pxf-jobs-"));
process.env.PANEL_DATA_DIR = testDataDir;
delete process.env.DATABASE_URL;

const migrationsDir = path.join(process.cwd(), "prisma", "migrations");
const sqlite = new Database(path.join(testDataDir, "panel.db"));
for (const name of readdirSync(migrationsDir)
  .filter((n) => /^\d/.test(n))
  .sort()) {
  sqlite.exec(readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8"));
}
sqlite.close();

/** Removes the temp store; call from afterAll once the Prisma client is disconnected. */
export function removeTestDataDir(): void {
  rmSync(testDataDir, { recursive: true, force: true });
}
