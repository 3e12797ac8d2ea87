import { inspectServiceContainer, type ContainerFacts } from "@/server/adapters/metrics/container-stats";
import { readMysqlStatus } from "@/server/adapters/metrics/mysql-status";
import type { ProbeTransport } from "@/server/adapters/metrics/transport";
import { readCacheInfo } from "@/server/adapters/redis/cache-info";
import { guardCheck, makeResult } from "./check-result";
import { summarizeRedisInfo } from "./parse-redis-info";
import { findCacheCredentials, findDbCredentials } from "./credentials";
import type { CheckResult } from "./types";
import type { TopologyService } from "./topology";

const WARN_PCT = 90;

function stoppedResult(base: Parameters<typeof makeResult>[0], facts: ContainerFacts, hostName: string): CheckResult {
  const reason = facts.exists ? `${facts.name} is ${facts.state} on ${hostName}` : `no ${facts.name} container on ${hostName}`;
  return makeResult(base, "down", {
    reason,
    failure: { code: null, category: "stopped", message: reason },
    details: { container: facts.name, state: facts.state, restarts: facts.restartCount },
  });
}

/**
 * MySQL/MariaDB through a tunnel with mysql2: version, uptime, threads, slow queries, connections
 * against max_connections, database size. Credentials come from the running containers' env.
 */
export function checkDb(service: TopologyService, app: TopologyService | undefined, transport: ProbeTransport): Promise<CheckResult> {
  const { host } = service;
  const base = { subject: `db@${host.name}`, kind: "db" as const, hostId: host.id, hostName: host.name };
  return guardCheck(base, async () => {
    const facts = await inspectServiceContainer(host.target!, service.containerName, transport);
    if (!facts.running) return stoppedResult(base, facts, host.name);
    const creds = await findDbCredentials(facts, app, transport, service.id);
    const port = Number(service.settings.port) || 3306;
    const started = performance.now();
    const listen = typeof service.settings.listenAddress === "string" ? service.settings.listenAddress : undefined;
    const s = await readMysqlStatus(host.target!, creds, port, transport, listen);
    const latencyMs = Math.round(performance.now() - started);
    const usedPct = s.maxConnections > 0 ? Math.round((s.threadsConnected / s.maxConnections) * 1000) / 10 : 0;
    const reason = usedPct > WARN_PCT ? `${s.threadsConnected} of ${s.maxConnections} connections in use` : null;
    return makeResult(base, reason ? "warn" : "ok", {
      reason,
      latencyMs,
      metrics: {
        latency: latencyMs,
        connections: s.threadsConnected,
        threadsRunning: s.threadsRunning,
        slowQueries: s.slowQueries,
        connectionsPct: usedPct,
        ...(s.databaseBytes !== null ? { dbBytes: s.databaseBytes } : {}),
      },
      details: {
        version: s.version,
        uptimeS: s.uptimeS,
        maxConnections: s.maxConnections,
        maxUsedConnections: s.maxUsedConnections,
        replication: s.replication,
        database: creds.database,
        restarts: facts.restartCount,
      },
    });
  });
}

/** Redis/Dragonfly through a tunnel with ioredis and the password: PING, memory, clients, keys per DB, evictions. */
export function checkCache(service: TopologyService, app: TopologyService | undefined, transport: ProbeTransport): Promise<CheckResult> {
  const { host } = service;
  const base = { subject: `cache@${host.name}`, kind: "cache" as const, hostId: host.id, hostName: host.name };
  return guardCheck(base, async () => {
    const facts = await inspectServiceContainer(host.target!, service.containerName, transport);
    if (!facts.running) return stoppedResult(base, facts, host.name);
    const password = await findCacheCredentials(facts, app, transport, service.id);
    const port = Number(service.settings.port) || 6379;
    const listen = typeof service.settings.listenAddress === "string" ? service.settings.listenAddress : undefined;
    const raw = await readCacheInfo(host.target!, password, port, transport, listen);
    const s = summarizeRedisInfo(raw.info);
    const memPct = s.maxMemory > 0 ? Math.round((s.usedMemory / s.maxMemory) * 1000) / 10 : null;
    const reason = memPct !== null && memPct > WARN_PCT ? `cache memory ${memPct} % of maxmemory` : null;
    return makeResult(base, reason ? "warn" : "ok", {
      reason,
      latencyMs: raw.pingMs,
      metrics: {
        latency: raw.pingMs,
        usedMemory: s.usedMemory,
        clients: s.connectedClients,
        evicted: s.evictedKeys,
        keysDb0: s.keys.db0,
        keysDb1: s.keys.db1,
        keysDb2: s.keys.db2,
      },
      details: {
        version: s.version,
        maxMemory: s.maxMemory,
        memPct,
        keys: s.keys,
        uptimeS: s.uptimeS,
        passwordSet: password !== null,
        restarts: facts.restartCount,
      },
    });
  });
}
