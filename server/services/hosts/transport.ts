import type Docker from "dockerode";
import { getDocker } from "@/server/adapters/docker/docker-client";
import { execCommand } from "@/server/adapters/ssh/exec";
import { pingHost } from "@/server/adapters/ssh/ping";
import { getSshPool, type SshPool } from "@/server/adapters/ssh/pool";
import type { ExecOptions, ExecResult, SshTarget } from "@/server/adapters/ssh/types";

/** The part of a dockerode Container the host services use. */
export interface ContainerApi {
  inspect(): Promise<Docker.ContainerInspectInfo>;
  start(): Promise<unknown>;
  stop(options?: { t?: number }): Promise<unknown>;
  restart(options?: { t?: number }): Promise<unknown>;
}

/** The part of dockerode the host services use: small, so tests can fake it. */
export interface DockerApi {
  version(): Promise<Pick<Docker.DockerVersion, "Version" | "ApiVersion">>;
  listContainers(options: { all: boolean }): Promise<Docker.ContainerInfo[]>;
  getContainer(id: string): ContainerApi;
}

/** Everything the host services need from the outside world. */
export interface HostTransport {
  /** Open (or reuse) the SSH connection; `force` skips the failed-connect backoff. */
  connect(target: SshTarget, options?: { force?: boolean }): Promise<void>;
  /** One SSH round trip, in ms. */
  ping(target: SshTarget): Promise<number>;
  exec(target: SshTarget, argv: string[], options?: ExecOptions): Promise<ExecResult>;
  docker(target: SshTarget): DockerApi;
}

/** The real transport: pooled SSH, Docker over stream-local forwarding. */
export function createSshHostTransport(pool: SshPool = getSshPool()): HostTransport {
  return {
    async connect(target, options) {
      await pool.connect(target, { force: options?.force, action: "open SSH connection" });
    },
    ping: (target) => pingHost(pool, target),
    exec: (target, argv, options) => execCommand(target, argv, { ...options, pool }),
    docker: (target) => getDocker(target, pool),
  };
}
