import { createHash } from "node:crypto";
import Docker from "dockerode";
import { getSshPool, type SshPool } from "@/server/adapters/ssh/pool";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { createDockerAgent } from "./agent";

interface CachedDocker {
  key: string;
  docker: Docker;
}

const caches = new WeakMap<SshPool, Map<string, CachedDocker>>();

/**
 * The dockerode client for `target`, speaking to the host's Engine API through the pooled SSH
 * connection. Internal to this adapter: services use a DockerClient (createSshDocker). One instance per host, dropped when the host's connection closes or its settings
 * (address, user, key, pin, socket path) change.
 */
export function getDockerode(target: SshTarget, pool: SshPool = getSshPool()): Docker {
  const cache = cacheFor(pool);
  const key = dockerKey(target);
  const cached = cache.get(target.hostId);
  if (cached?.key === key) return cached.docker;
  const agent = createDockerAgent(target, pool);
  // The host name is a placeholder: the agent ignores it and opens an SSH stream-local forward.
  const options = { protocol: "http", host: "docker", port: 80, agent } as Docker.DockerOptions;
  const docker = new Docker(options);
  cache.set(target.hostId, { key, docker });
  return docker;
}

function cacheFor(pool: SshPool): Map<string, CachedDocker> {
  let cache = caches.get(pool);
  if (!cache) {
    const created = new Map<string, CachedDocker>();
    pool.onConnectionClosed((hostId) => created.delete(hostId));
    caches.set(pool, created);
    cache = created;
  }
  return cache;
}

function dockerKey(target: SshTarget): string {
  const parts = [
    target.address,
    String(target.port),
    target.username,
    target.privateKey,
    target.pinnedFingerprint ?? "",
    target.dockerSocket,
  ];
  return createHash("sha256").update(parts.join("\0")).digest("hex");
}
