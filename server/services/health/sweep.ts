import { mapConcurrent } from "@/server/adapters/registry/map-concurrent";
import { pooledTransport, type ProbeTransport } from "@/server/adapters/metrics/transport";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { parseDeploySettings } from "@/server/domain/deploy";
import { checkApp, checkExternal } from "./check-app";
import { checkCache, checkDb } from "./check-data";
import { checkHost } from "./check-host";
import { checkProxy } from "./check-proxy";
import { attachContainerUsage } from "./container-usage";
import { makeResult } from "./check-result";
import { loadStackTopology, type TopologyHost, type TopologyService } from "./topology";
import type { CheckResult, SweepResult } from "./types";

export interface SweepOptions {
  transport?: ProbeTransport;
  /** Hosts checked at the same time (default 8). */
  concurrency?: number;
  /** Gap between the two /proc/stat reads (default 1 s). */
  cpuSampleMs?: number;
}

/**
 * Check every host and service of a stack once: hosts and their services in parallel (bounded),
 * then the proxy (which compares its upstreams with the live app ports) and the public URL.
 * Never throws for a failing host: each failure is a `down` result with its reason.
 */
export async function runHealthSweep(stackRef: string, options: SweepOptions = {}): Promise<SweepResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const transport = options.transport ?? pooledTransport();
  const topo = await loadStackTopology(stackRef);
  const settings = parseDeploySettings(topo.stack.deploySettings);
  const healthPath = topo.stack.healthPath || "/api/v1/ping";
  const app = topo.services.find((s) => s.kind === "app");
  const servicesOn = (h: TopologyHost) => topo.services.filter((s) => s.host.id === h.id);

  const perHost = await mapConcurrent(topo.hosts, options.concurrency ?? 8, async (host) => {
    if (!host.target) return refusedHost(host, servicesOn(host));
    const checks = servicesOn(host).map((s) => {
      if (s.kind === "app") return checkApp(s, healthPath, transport);
      if (s.kind === "db") return checkDb(s, app, transport);
      if (s.kind === "cache") return checkCache(s, app, transport);
      return null;
    });
    const all = await Promise.all([checkHost(host, host.target, transport, options.cpuSampleMs), ...checks.filter((c) => c !== null)]);
    return all;
  });
  const first = perHost.flat();

  const proxy = topo.services.find((s) => s.kind === "proxy");
  const liveDials = topo.services
    .filter((s) => s.kind === "app")
    .map((s) => {
      const port = first.find((c) => c.subject === `app@${s.host.name}`)?.details.port;
      if (typeof port !== "number") return null;
      const dialHost = proxy && proxy.host.id === s.host.id ? "127.0.0.1" : s.host.address;
      return `${dialHost}:${port}`;
    })
    .filter((d): d is string => d !== null);
  const second = await Promise.all([
    proxy?.host.target ? checkProxy(proxy, settings, topo.stack.publicDomain, liveDials, transport) : null,
    checkExternal(topo.stack.publicDomain, healthPath),
  ]);
  return {
    stackId: topo.stack.id,
    stackName: topo.stack.name,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    checks: attachContainerUsage([...first, ...second.filter((c): c is CheckResult => c !== null)], topo.services),
  };
}

/** A host the panel will not contact: its key is unpinned (unknown) or changed (down, hostkey). */
export function refusedHost(host: TopologyHost, services: TopologyService[]): CheckResult[] {
  const changed = host.hostKeyState === "CHANGED";
  const reason = changed
    ? `${host.name} presented a different SSH host key: the panel sends nothing to it until an admin verifies and re-pins the key`
    : `${host.name}'s host key is not verified yet: pin it on the host page before it is checked`;
  const status = changed ? "down" : "unknown";
  const failure = { code: changed ? "HOST_KEY_MISMATCH" : "HOST_KEY_UNPINNED", category: "hostkey", message: reason };
  const base = (subject: string, kind: CheckResult["kind"]) => ({ subject, kind, hostId: host.id, hostName: host.name });
  return [
    makeResult(base(`host:${host.name}`, "host"), status, { reason, failure }),
    ...services.map((s) => makeResult(base(`${s.kind}@${host.name}`, s.kind === "storage" ? "app" : s.kind), status, { reason, failure })),
  ];
}

/** Host checks only, for a list of targets (the benchmark's extra hosts are not in the inventory). */
export async function sweepHostTargets(targets: SshTarget[], options: SweepOptions = {}): Promise<CheckResult[]> {
  const transport = options.transport ?? pooledTransport();
  return mapConcurrent(targets, options.concurrency ?? 8, (t) =>
    checkHost({ id: t.hostId, name: t.name }, t, transport, options.cpuSampleMs),
  );
}
