import type { EnvVersion } from "@prisma/client";
import { decryptSecret } from "@/server/crypto";
import { db } from "@/server/db";
import { parseEnvText, type EnvEntry } from "./env-format";

/** Binds a version's ciphertext to its stack and number (a row copied elsewhere does not decrypt). */
export const envAad = (row: { stackId: string; version: number }) => `env:${row.stackId}:${row.version}`;
export const envTextOf = (row: EnvVersion) => decryptSecret(row.contentEnc, envAad(row));
export const envEntriesOf = (row: EnvVersion): EnvEntry[] => parseEnvText(envTextOf(row)).entries;

/** The environment new app containers get: the newest version as KEY=VALUE strings, or null while unmanaged. */
export async function deployEnv(stackId: string): Promise<{ version: number; entries: string[] } | null> {
  const row = await db.envVersion.findFirst({ where: { stackId }, orderBy: { version: "desc" } });
  return row ? { version: row.version, entries: envEntriesOf(row).map(([k, v]) => `${k}=${v}`) } : null;
}

/** The entries of version `version` of a stack's env, or null when there is no such version. */
export async function envVersionEntries(stackId: string, version: number): Promise<EnvEntry[] | null> {
  const row = await db.envVersion.findUnique({ where: { stackId_version: { stackId, version } } });
  return row ? envEntriesOf(row) : null;
}
