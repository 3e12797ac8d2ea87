import { inspectServiceContainer } from "@/server/adapters/metrics/container-stats";
import { describeProbeAnswer } from "@/server/adapters/http/probe-get";
import { OUTBOUND } from "@/server/adapters/http/outbound-purposes";
import { probeHttp, type HttpProbe } from "@/server/adapters/metrics/http-probe";
import { withDocker, type ProbeTransport } from "@/server/adapters/metrics/transport";
import { withTunnel } from "@/server/adapters/tunnel/tunnel";
import { findLive, listAppContainers } from "@/server/services/deploy/app-containers";
import { isHealthyAnswer } from "@/server/services/deploy/health-gate";
import { guardCheck, makeResult } from "./check-result";
import type { CheckResult } from "./types";
import type { TopologyService } from "./topology";

const PROBE_TIMEOUT_MS = 5000;

/**
 * Why a probe was not healthy. Security: status, content type and length only, never the body: the
 * URL may lead to a private service, and viewers read these reasons.
 */
function unhealthyReason(probe: HttpProbe, healthPath: string): string {
  if (probe.error) return `failed: ${probe.error}`;
  const answer = describeProbeAnswer({ status: probe.status ?? 0, contentType: probe.contentType, length: probe.length });
  const expected = healthPath === "/api/v1/ping" && probe.ok ? `, not {"ping":"pong"}` : "";
  return `answered ${answer}${expected}`;
}

/**
 * The app container on one host: running, tag, restarts, Docker health, and `GET <healthPath>` on
 * its live loopback port through an SSH tunnel. One request per sweep (far under the 200/min limit).
 */
export function checkApp(service: TopologyService, healthPath: string, transport: ProbeTransport): Promise<CheckResult> {
  const { host } = service;
  const base = { subject: `app@${host.name}`, kind: "app" as const, hostId: host.id, hostName: host.name };
  return guardCheck(base, async () => {
    const target = host.target!;
    const containers = await withDocker(transport, target, (docker) => listAppContainers(docker, service.containerName));
    const live = findLive(containers, service.containerName);
    if (!live) {
      const stopped = containers.find((c) => c.name === service.containerName);
      const reason = stopped
        ? `${service.containerName} is not running on ${host.name}`
        : `no ${service.containerName} container on ${host.name}`;
      return makeResult(base, "down", { reason, failure: { code: null, category: "stopped", message: reason } });
    }
    const facts = await inspectServiceContainer(target, live.name, transport);
    const port = live.port ?? 4000;
    const probe = await transport.use((pool) =>
      withTunnel(target, port, (t) => probeHttp(`http://127.0.0.1:${t.localPort}${healthPath}`, PROBE_TIMEOUT_MS), { pool }),
    );
    const healthy = probe.status !== null && isHealthyAnswer(healthPath, probe.status, probe.body);
    const details = {
      tag: live.tag,
      port,
      container: live.name,
      restarts: facts.restartCount,
      dockerHealth: facts.health,
      startedAt: facts.startedAt,
      version: probe.version,
    };
    const metrics = { latency: probe.ms, restarts: facts.restartCount };
    if (!healthy) {
      const reason = `${healthPath} on ${host.name} 127.0.0.1:${port} ${unhealthyReason(probe, healthPath)}`;
      return makeResult(base, "down", {
        reason,
        failure: { code: null, category: probe.error?.includes("within") ? "timeout" : "other", message: reason },
        latencyMs: probe.ms,
        metrics,
        details,
      });
    }
    const warn = facts.health === "unhealthy" ? `Docker reports ${live.name} unhealthy` : null;
    return makeResult(base, warn ? "warn" : "ok", { reason: warn, latencyMs: probe.ms, metrics, details });
  });
}

/**
 * `GET <public URL><healthPath>` from the panel, through the proxy, as a visitor would. The URL is
 * admin input, so it goes through the outbound guard (the app's own probe above goes through the
 * panel's SSH tunnel and does not).
 */
export function checkExternal(publicDomain: string, healthPath: string): Promise<CheckResult> {
  const base = { subject: "external", kind: "external" as const, hostId: null, hostName: null };
  return guardCheck(base, async () => {
    const url = `${publicBaseUrl(publicDomain)}${healthPath}`;
    const probe = await probeHttp(url, PROBE_TIMEOUT_MS, { purpose: OUTBOUND.publicDomain });
    const healthy = probe.status !== null && isHealthyAnswer(healthPath, probe.status, probe.body);
    const details = { url, status: probe.status, version: probe.version };
    if (healthy) return makeResult(base, "ok", { latencyMs: probe.ms, metrics: { latency: probe.ms }, details });
    const reason = `${url} ${unhealthyReason(probe, healthPath)}`;
    return makeResult(base, "down", {
      reason,
      failure: { code: null, category: probe.error?.includes("within") ? "timeout" : "other", message: reason },
      latencyMs: probe.ms,
      details,
    });
  });
}

/** "pixelfox.example" → "https://pixelfox.example"; a value with a scheme is kept as is. */
export function publicBaseUrl(publicDomain: string): string {
  const trimmed = publicDomain.trim().replace(/\/+$/, "");
  return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}
