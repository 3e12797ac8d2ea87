/** `INFO` output as a flat map (section headers and blank lines dropped). */
export function parseRedisInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const at = line.indexOf(":");
    if (at > 0) out.set(line.slice(0, at), line.slice(at + 1));
  }
  return out;
}

/** Keys per database from the keyspace section (`db0:keys=12,expires=3,avg_ttl=0`). */
export function parseKeyspace(info: Map<string, string>): Record<number, number> {
  const out: Record<number, number> = {};
  for (const [key, value] of info) {
    const db = /^db(\d+)$/.exec(key);
    const keys = /(?:^|,)keys=(\d+)/.exec(value);
    if (db && keys) out[Number(db[1])] = Number(keys[1]);
  }
  return out;
}

/** The numbers the health view shows for a Redis-protocol cache. */
export interface CacheStats {
  version: string | null;
  usedMemory: number;
  maxMemory: number;
  connectedClients: number;
  evictedKeys: number;
  keys: { db0: number; db1: number; db2: number };
  uptimeS: number;
}

/** Summarises INFO; missing fields count as 0 (Dragonfly omits some). */
export function summarizeRedisInfo(text: string): CacheStats {
  const info = parseRedisInfo(text);
  const num = (k: string) => Number(info.get(k) ?? 0) || 0;
  const keys = parseKeyspace(info);
  return {
    version: info.get("redis_version") ?? info.get("dragonfly_version") ?? null,
    usedMemory: num("used_memory"),
    maxMemory: num("maxmemory"),
    connectedClients: num("connected_clients"),
    evictedKeys: num("evicted_keys"),
    keys: { db0: keys[0] ?? 0, db1: keys[1] ?? 0, db2: keys[2] ?? 0 },
    uptimeS: num("uptime_in_seconds"),
  };
}
