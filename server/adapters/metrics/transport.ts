import type { DockerClient } from "@/server/adapters/docker/types";
import { createSshDocker } from "@/server/adapters/docker/ssh-docker";
import { getSshPool, SshPool } from "@/server/adapters/ssh/pool";
import type { SshTarget } from "@/server/adapters/ssh/types";

/**
 * How probes reach hosts. `pooled` reuses the process-wide SSH connection per host (the panel's
 * way); `connectionPerCommand` opens and closes a fresh connection around every operation (the
 * way Dokploy does it), kept only so the benchmark can compare the two in one run.
 */
export interface ProbeTransport {
  readonly mode: "pooled" | "connection-per-command";
  use<T>(fn: (pool: SshPool) => Promise<T>): Promise<T>;
}

/** Runs `fn` with the host's Docker Engine, reached the transport's way. */
export function withDocker<T>(transport: ProbeTransport, target: SshTarget, fn: (docker: DockerClient) => Promise<T>): Promise<T> {
  return transport.use((pool) => fn(createSshDocker(pool)(target)));
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
