import { mapConcurrent } from "@/server/adapters/registry/map-concurrent";
import { pooledTransport } from "@/server/adapters/metrics/transport";
import { db } from "@/server/db";
import { checkHost } from "./check-host";
import { isSweepStale, loadLatestSweep } from "./latest";
import { refusedHost, type SweepOptions } from "./sweep";
import { toTopologyHost } from "./topology";
import type { SweepResult } from "./types";

/**
 * Hosts placed in no stack are swept as one pseudo-stack: their snapshot, samples and alerts use
 * the stack id "" (reserved for them in HealthSnapshot).
 */
export const OTHER_HOSTS = { id: "", name: "other hosts" } as const;

async function listOtherHosts() {
  return db.host.findMany({ where: { services: { none: {} } }, orderBy: { name: "asc" } });
}

/**
 * Reachability and host figures (CPU, load, memory, disk and inodes, IO wait, containers) of every
 * host outside a stack. Never throws for a failing host: it is `down` with its reason.
 */
export async function runOtherHostsSweep(options: SweepOptions = {}): Promise<SweepResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const transport = options.transport ?? pooledTransport();
  const hosts = (await listOtherHosts()).map(toTopologyHost);
  const checks = await mapConcurrent(hosts, options.concurrency ?? 8, async (host) =>
    host.target ? [await checkHost(host, host.target, transport, options.cpuSampleMs)] : refusedHost(host, []),
  );
  return {
    stackId: OTHER_HOSTS.id,
    stackName: OTHER_HOSTS.name,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    checks: checks.flat(),
  };
}

/** What the dashboard's "Other hosts" card draws: the hosts from the inventory, state from the last sweep. */
export interface OtherHostsOverview {
  hosts: { id: string; name: string; address: string; hostKeyState: string }[];
  sweep: SweepResult | null;
  isStale: boolean;
}

export async function getOtherHostsOverview(): Promise<OtherHostsOverview> {
  const [hosts, latest] = await Promise.all([listOtherHosts(), loadLatestSweep(OTHER_HOSTS.id)]);
  return {
    hosts: hosts.map((h) => ({ id: h.id, name: h.name, address: h.address, hostKeyState: h.hostKeyState })),
    sweep: latest?.sweep ?? null,
    isStale: latest ? isSweepStale(latest) : false,
  };
}
