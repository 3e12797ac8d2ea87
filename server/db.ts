import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import { getEnv } from "./env";

const globalForDb = globalThis as unknown as { pxfPrisma?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaBetterSQLite3({ url: getEnv().databaseUrl });
  return new PrismaClient({ adapter });
}

/** The panel's embedded store. One client per process (kept across dev reloads). */
export const db: PrismaClient = globalForDb.pxfPrisma ?? createClient();
globalForDb.pxfPrisma = db;
