/** What several benchmarks share: the fleet's hosts as SSH targets, and timing one call. */
import { readFileSync } from "node:fs";
import { readFleetStatus } from "@/fleet/lib/index";
import type { SshTarget } from "@/server/adapters/ssh/types";

export type FleetHostStatus = Awaited<ReturnType<typeof readFleetStatus>>["hosts"][number];

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** The fleet's hosts, refusing to start when it is down (`hint`: the command that brings it up as needed). */
export async function fleetHosts(hint: string): Promise<FleetHostStatus[]> {
  const fleet = await readFleetStatus();
  if (!fleet.up) throw new Error(`the sandbox fleet is not up: ${hint}`);
  return fleet.hosts;
}

/** A host as the panel's SSH pool sees it (every fleet host takes the panel's one key). */
export function targetOf(h: FleetHostStatus, key = readFileSync(h.privateKeyPath, "utf8")): SshTarget {
  return {
    hostId: `bench-${h.name}`,
    name: h.name,
    address: h.sshHost,
    port: h.sshPort,
    username: h.user,
    privateKey: key,
    pinnedFingerprint: h.hostKeyFingerprint,
    dockerSocket: h.dockerSocket,
  };
}
