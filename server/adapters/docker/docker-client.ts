import { createHash } from "node:crypto";
import Docker from "dockerode";
import { getSshPool, type SshPool } from "@/server/adapters/ssh/pool";
import type { ChannelPurpose, SshTarget } from "@/server/adapters/ssh/types";
import { createDockerAgent } from "./agent";

interface CachedDocker {
  key: string;
  docker: Docker;
}

const caches = new WeakMap<SshPool, Map<string, CachedDocker>>();

/**
 * The dockerode client for `target`, speaking to the host's Engine API through the pooled SSH
 * connection. Internal to this adapter: services use a DockerClient (createSshDocker). One instance
 * per host and channel purpose (log streams get their own, whose requests use the "stream" slots),
 * dropped when the host's connection closes or its settings (address, user, key, pin, socket path) change.
 */
export function getDockerode(target: SshTarget, pool: SshPool = getSshPool(), purpose: ChannelPurpose = "operation"): Docker {
  const cache = cacheFor(pool);
  const key = dockerKey(target);
  const cacheKey = `${purpose}:${target.hostId}`;
  const cached = cache.get(cacheKey);
  if (cached?.key === key) return cached.docker;
  const agent = createDockerAgent(target, pool, purpose);
  // The host name is a placeholder: the agent ignores it and opens an SSH stream-local forward.
  const options = { protocol: "http", host: "docker", port: 80, agent } as Docker.DockerOptions;
  const docker = new Docker(options);
  cache.set(cacheKey, { key, docker });
  return docker;
}

function cacheFor(pool: SshPool): Map<string, CachedDocker> {
  let cache = caches.get(pool);
  if (!cache) {
    const created = new Map<string, CachedDocker>();
    pool.onConnectionClosed((hostId) => {
      for (const purpose of ["operation", "stream"] as const) created.delete(`${purpose}:${hostId}`);
    });
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
