import { db } from "@/server/db";
import { prepareLiterals, redactWith } from "@/server/redact-literals";
import { listChannelSecrets } from "@/server/services/alerts/channels";
import { envEntriesOf } from "@/server/services/env/deploy-env";
import { getRegistryCredentials } from "@/server/services/inventory/stacks";
import { loadOffsiteSettings } from "@/server/services/offsite/offsite-settings";
import { secretValuesOfEnv } from "./env-secrets";
import {
  currentGeneration,
  isFresh,
  readCollected,
  rememberedSecrets,
  serviceScope,
  stackScope,
  storeCollected,
  type CollectedSecrets,
} from "./secret-cache";

/** Older env versions still run in retained containers (a rollback starts one): their secrets count too. */
const ENV_VERSIONS_SCANNED = 5;
const EMPTY: CollectedSecrets = { values: [], serviceIds: [], loadedAt: 0, stale: true };
const loading = new Map<string, Promise<CollectedSecrets>>();

/** One source of secrets; a failure (a row that no longer decrypts) costs that source only, never the caller. */
async function safely(what: string, stackId: string, read: () => Promise<(string | null | undefined)[]>): Promise<string[]> {
  try {
    return (await read()).filter((v): v is string => typeof v === "string");
  } catch (err) {
    // Security: the error's name only; a decrypt or query error message is not needed to act on this.
    console.warn(`[secrets] could not read the ${what} of stack ${stackId} for redaction (${err instanceof Error ? err.name : "error"})`);
    return [];
  }
}

async function loadStackSecrets(stackId: string): Promise<CollectedSecrets> {
  const startedAt = currentGeneration();
  const [env, registry, offsite, channels, services] = await Promise.all([
    safely("app environment", stackId, async () => {
      const rows = await db.envVersion.findMany({ where: { stackId }, orderBy: { version: "desc" }, take: ENV_VERSIONS_SCANNED });
      return rows.flatMap((row) => secretValuesOfEnv(envEntriesOf(row)));
    }),
    safely("registry password", stackId, async () => {
      const stack = await db.stack.findUnique({ where: { id: stackId } });
      return [stack ? getRegistryCredentials(stack)?.password : null];
    }),
    safely("off-site storage keys", stackId, async () => {
      const s = await loadOffsiteSettings(stackId);
      // Decision: the access key id is an identifier, but half of the S3 credential: replaced too.
      return [s?.secretAccessKey, s?.accessKeyId];
    }),
    safely("alert channels", stackId, listChannelSecrets),
    db.service.findMany({ where: { stackId }, select: { id: true } }).catch(() => []),
  ]);
  const entry = {
    values: prepareLiterals([...env, ...registry, ...offsite, ...channels]),
    serviceIds: services.map((s) => s.id),
    loadedAt: Date.now(),
  };
  storeCollected(stackId, entry, startedAt);
  return { ...entry, stale: false };
}

function reload(stackId: string): Promise<CollectedSecrets> {
  let pending = loading.get(stackId);
  if (!pending) {
    pending = loadStackSecrets(stackId).finally(() => loading.delete(stackId));
    loading.set(stackId, pending);
  }
  return pending;
}

function withRemembered(entry: CollectedSecrets, stackId: string): string[] {
  return prepareLiterals([
    ...entry.values,
    ...rememberedSecrets(stackScope(stackId)),
    ...entry.serviceIds.flatMap((id) => rememberedSecrets(serviceScope(id))),
  ]);
}

/**
 * Every secret value the panel holds or has read for the stack, longest first: the managed env's secret
 * values (its last few versions), the registry password, the S3 keys, the alert channels' webhook URLs and
 * SMTP passwords, and what jobs and sweeps read from its hosts (db root and app passwords, the cache
 * password, a new app container's env). Cached for a short time; saves invalidate it. No remote call.
 */
export async function collectStackSecrets(stackId: string): Promise<string[]> {
  const entry = readCollected(stackId);
  return withRemembered(isFresh(entry) ? entry : await reload(stackId), stackId);
}

/**
 * The stack's secrets known right now, without waiting (for code that cannot await, like a job's log
 * writer): the last collected set plus what was remembered since. A stale set starts a reload.
 */
export function peekStackSecrets(stackId: string): string[] {
  const entry = readCollected(stackId);
  if (!isFresh(entry)) void reload(stackId).catch(() => undefined);
  return withRemembered(entry ?? EMPTY, stackId);
}

/** The secrets of every stack (and the alert channels' even with no stack), for text that names no stack. */
export async function collectAllSecrets(): Promise<string[]> {
  const stacks = await db.stack.findMany({ select: { id: true } });
  const perStack = await Promise.all(stacks.map((s) => collectStackSecrets(s.id)));
  const channels = stacks.length === 0 ? await safely("alert channels", "(none)", listChannelSecrets) : [];
  return prepareLiterals([...perStack.flat(), ...channels]);
}

/**
 * A redaction function for the stack's text (`null`: every stack's secrets), plus `extra` literal secrets:
 * literal replacement first, then the secret shapes of server/redact.ts.
 */
export async function stackRedactor(
  stackId: string | null,
  extra: readonly (string | null | undefined)[] = [],
): Promise<(text: string) => string> {
  const secrets = stackId ? await collectStackSecrets(stackId) : await collectAllSecrets();
  const literals = prepareLiterals([...secrets, ...extra]);
  return (text) => redactWith(text, literals);
}
