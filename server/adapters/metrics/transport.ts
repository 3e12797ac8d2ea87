import { getSshPool, SshPool } from "@/server/adapters/ssh/pool";

/**
 * How probes reach hosts. `pooled` reuses the process-wide SSH connection per host (the panel's
 * way); `connectionPerCommand` opens and closes a fresh connection around every operation (the
 * way Dokploy does it), kept only so the benchmark can compare the two in one run.
 */
export interface ProbeTransport {
  readonly mode: "pooled" | "connection-per-command";
  use<T>(fn: (pool: SshPool) => Promise<T>): Promise<T>;
}

/** Every operation on the shared pool (or the one given). */
export function pooledTransport(pool: SshPool = getSshPool()): ProbeTransport {
  return { mode: "pooled", use: (fn) => fn(pool) };
}

/** A new SSH connection for each operation, closed afterwards. */
export function connectionPerCommandTransport(readyTimeoutMs = 10_000): ProbeTransport {
  return {
    mode: "connection-per-command",
    async use(fn) {
      const pool = new SshPool({ readyTimeoutMs });
      try {
        return await fn(pool);
      } finally {
        pool.closeAll();
      }
    },
  };
}
