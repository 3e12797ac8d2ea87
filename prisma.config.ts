import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// Offline recipe: the JS engine + better-sqlite3 driver adapter; no engine binary download.
const dataDir = process.env.PANEL_DATA_DIR ?? path.join(process.cwd(), "data");
const databaseUrl = process.env.DATABASE_URL ?? `file:${path.join(dataDir, "panel.db")}`;
process.env.DATABASE_URL ??= databaseUrl;

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => new PrismaBetterSQLite3({ url: databaseUrl }),
});
