import { createSshDocker, type DockerClient } from "@/server/adapters/docker";
import { execCommand } from "@/server/adapters/ssh/exec";
import { pingHost } from "@/server/adapters/ssh/ping";
import { getSshPool, type SshPool } from "@/server/adapters/ssh/pool";
import type { ExecOptions, ExecResult, SshTarget } from "@/server/adapters/ssh/types";

/** Everything the host services need from the outside world. */
export interface HostTransport {
  /** Open (or reuse) the SSH connection; `force` skips the failed-connect backoff. */
  connect(target: SshTarget, options?: { force?: boolean }): Promise<void>;
  /** One SSH round trip, in ms. */
  ping(target: SshTarget): Promise<number>;
  exec(target: SshTarget, argv: string[], options?: ExecOptions): Promise<ExecResult>;
  docker(target: SshTarget): DockerClient;
}

/** The real transport: pooled SSH, Docker over stream-local forwarding. */
export function createSshHostTransport(pool: SshPool = getSshPool()): HostTransport {
  const docker = createSshDocker(pool);
  return {
    async connect(target, options) {
      await pool.connect(target, { force: options?.force, action: "open SSH connection" });
    },
    ping: (target) => pingHost(pool, target),
    exec: (target, argv, options) => execCommand(target, argv, { ...options, pool }),
    docker,
  };
}
