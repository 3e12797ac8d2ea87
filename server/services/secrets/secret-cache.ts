/**
 * In-memory store behind `collectStackSecrets`: what was collected per stack (short-lived, dropped on
 * saves) and what jobs and health sweeps read from the hosts (db and cache passwords, a candidate's env).
 * Security: nothing here is ever written to disk or sent anywhere; it only feeds the redaction.
 */

/** A collected set is reloaded after this long (a save elsewhere invalidates it at once). */
export const COLLECTED_TTL_MS = 30_000;
/** Values remembered per scope; the oldest go first (a long-lived panel must not grow without bound). */
const MAX_REMEMBERED = 64;

export interface CollectedSecrets {
  values: string[];
  /** The stack's service ids: their remembered secrets belong to the stack too. */
  serviceIds: string[];
  loadedAt: number;
  /** Set by a save: still used (a superset is harmless) until the reload that follows replaces it. */
  stale: boolean;
}

interface Store {
  collected: Map<string, CollectedSecrets>;
  remembered: Map<string, string[]>;
  generation: number;
}

const KEY = Symbol.for("pixelfox.stackSecrets");

/** Kept on globalThis so Next.js bundles and dev reloads share one store. */
function store(): Store {
  const g = globalThis as unknown as Record<symbol, Store | undefined>;
  g[KEY] ??= { collected: new Map(), remembered: new Map(), generation: 0 };
  return g[KEY];
}

export const stackScope = (stackId: string) => `stack:${stackId}`;
export const serviceScope = (serviceId: string) => `service:${serviceId}`;

/** Remembers secrets a job or a sweep read from a host, for the redaction of everything of that stack. */
export function rememberSecrets(scope: string, values: readonly (string | null | undefined)[]): void {
  const list = store().remembered.get(scope) ?? [];
  for (const v of values) {
    if (typeof v !== "string" || v.length === 0) continue;
    const at = list.indexOf(v);
    if (at >= 0) list.splice(at, 1);
    list.push(v);
  }
  store().remembered.set(scope, list.slice(-MAX_REMEMBERED));
}

export const rememberStackSecrets = (stackId: string, values: readonly (string | null | undefined)[]) =>
  rememberSecrets(stackScope(stackId), values);
export const rememberServiceSecrets = (serviceId: string, values: readonly (string | null | undefined)[]) =>
  rememberSecrets(serviceScope(serviceId), values);

export function rememberedSecrets(scope: string): readonly string[] {
  return store().remembered.get(scope) ?? [];
}

/**
 * Marks the collected secrets of one stack, or of all (alert channels belong to every stack), as stale:
 * the next collect reloads them. They stay in use meanwhile, so a running job's lines are never less redacted.
 */
export function invalidateStackSecrets(stackId?: string): void {
  const s = store();
  s.generation += 1;
  for (const [key, entry] of s.collected) if (stackId === undefined || key === stackId || key === ALL_STACKS) entry.stale = true;
}

/** The cache key of the union over every stack (audit details name no stack). */
export const ALL_STACKS = "*";

export function currentGeneration(): number {
  return store().generation;
}

export function readCollected(key: string): CollectedSecrets | undefined {
  return store().collected.get(key);
}

export function isFresh(entry: CollectedSecrets | undefined, now = Date.now()): entry is CollectedSecrets {
  return entry !== undefined && !entry.stale && now - entry.loadedAt < COLLECTED_TTL_MS;
}

/** Stores a load's result; one that started before an invalidation is kept but stays stale (reloaded next time). */
export function storeCollected(key: string, entry: Omit<CollectedSecrets, "stale">, startedAt: number): void {
  store().collected.set(key, { ...entry, stale: startedAt !== store().generation });
}

/** Test support: forgets everything. */
export function resetSecretCache(): void {
  const s = store();
  s.collected.clear();
  s.remembered.clear();
  s.generation += 1;
}
