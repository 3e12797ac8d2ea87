/**
 * Test helper for integration tests: reads the local sandbox fleet's status (fleet/) and builds
 * SshTargets for its hosts. Integration tests FAIL (not skip) when the fleet is down: CI brings
 * it up first, so a down fleet is a broken setup, not a reason to report green.
 */
import { readFileSync } from "node:fs";
import { readFleetStatus, rekeyHost, restoreHostKey, type FleetHostStatus, type FleetStatus } from "@/fleet/lib/index";
import type { SshTarget } from "@/server/adapters/ssh/types";

export type FleetHostName = "app" | "db" | "cache";

export interface Fleet {
  status: FleetStatus;
  /** The panel's private key text, authorized on every fleet host. */
  privateKey: string;
  host(name: FleetHostName): FleetHostStatus;
  /** A target pinned to the host's ORIGINAL key (the one restoreHostKey puts back). */
  target(name: FleetHostName, overrides?: Partial<SshTarget>): SshTarget;
}

const HOW_TO_START =
  "Start it with `npx tsx fleet/cli.ts up` (as root), check with `npx tsx fleet/cli.ts status`, then re-run the integration tests.";

/** Read the fleet and fail with a helpful message if it is not fully up. */
export async function loadFleet(): Promise<Fleet> {
  let status: FleetStatus;
  try {
    status = await readFleetStatus();
  } catch (err) {
    throw new Error(`Could not read the sandbox fleet status (${(err as Error).message}). ${HOW_TO_START}`, { cause: err });
  }
  if (!status.up) {
    const down = status.hosts
      .filter((h) => !h.running.sshd || !h.running.dockerd)
      .map((h) => `${h.name} (sshd ${h.running.sshd ? "up" : "DOWN"}, dockerd ${h.running.dockerd ? "up" : "DOWN"})`);
    throw new Error(
      `The sandbox fleet is not up${down.length ? `: ${down.join(", ")}` : status.registry.running ? "" : ": registry is down"}. ${HOW_TO_START}`,
    );
  }
  const first = status.hosts[0];
  if (!first) throw new Error(`The sandbox fleet reports no hosts. ${HOW_TO_START}`);
  const privateKey = readFileSync(first.privateKeyPath, "utf8");

  const host = (name: FleetHostName): FleetHostStatus => {
    const found = status.hosts.find((h) => h.name === name);
    if (!found) throw new Error(`The sandbox fleet has no host named "${name}". ${HOW_TO_START}`);
    return found;
  };
  const target = (name: FleetHostName, overrides: Partial<SshTarget> = {}): SshTarget => {
    const h = host(name);
    return {
      hostId: `fleet-${h.name}`,
      name: h.name,
      address: h.sshHost,
      port: h.sshPort,
      username: h.user,
      privateKey,
      pinnedFingerprint: h.originalHostKeyFingerprint ?? h.hostKeyFingerprint,
      dockerSocket: h.dockerSocket,
      ...overrides,
    };
  };
  return { status, privateKey, host, target };
}

/** Make sure the host serves its original key (an earlier run may have died mid-rekey). */
export async function ensureOriginalHostKey(name: FleetHostName): Promise<void> {
  const current = await readFleetStatus();
  const h = current.hosts.find((x) => x.name === name);
  if (h && h.hostKeyFingerprint !== h.originalHostKeyFingerprint) await restoreHostKey(name);
}

export { rekeyHost, restoreHostKey };

/**
 * The loopback port the live pxlfox-app serves on (4000 on a fresh fleet, 4001 after an odd number
 * of blue/green deploys), read from the app host's Docker daemon through its local socket.
 */
export async function liveAppPort(): Promise<number> {
  const { default: http } = await import("node:http");
  const fleet = await loadFleet();
  const info = await new Promise<{ Config: { Env: string[]; Labels: Record<string, string> } }>((resolve, reject) => {
    http
      .get({ socketPath: fleet.host("app").dockerSocket, path: "/containers/pxlfox-app/json" }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () =>
          res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`pxlfox-app not found on the app host: ${body}`)),
        );
      })
      .on("error", reject);
  });
  const label = info.Config.Labels["com.pixelfox.port"];
  const env = info.Config.Env.find((e) => e.startsWith("APP_PORT="))?.slice("APP_PORT=".length);
  return Number(label ?? env ?? 4000);
}
