import { findReverseProxyHandlers, getCaddyConfig, getUpstreamHealth, getUpstreams } from "@/server/adapters/caddy";
import { createSshDocker } from "@/server/adapters/docker";
import { checkDnsPointsAt } from "@/server/adapters/metrics/dns-lookup";
import { proxyDriverFor } from "@/server/services/proxy/proxy-for-stack";
import { readCertificate } from "@/server/adapters/metrics/tls-certificate";
import type { ProbeTransport } from "@/server/adapters/metrics/transport";
import type { DeploySettings } from "@/server/domain/deploy";
import { guardCheck, makeResult } from "./check-result";
import { publicBaseUrl } from "./check-app";
import type { CheckResult } from "./types";
import type { TopologyService } from "./topology";

/**
 * Caddy through its admin API (tunnelled): a config is loaded, the PixelFox upstreams and Caddy's
 * own view of their failures, and whether they point at the live app containers. TLS: the public
 * domain's certificate and days to expiry, or "not checked" when the domain is plain http.
 */
export function checkProxy(
  service: TopologyService,
  settings: DeploySettings,
  publicDomain: string,
  liveDials: string[],
  transport: ProbeTransport,
): Promise<CheckResult> {
  const { host } = service;
  const base = { subject: `proxy@${host.name}`, kind: "proxy" as const, hostId: host.id, hostName: host.name };
  return guardCheck(base, async () => {
    if (service.settings.proxy === "nginx") return checkNginx(base, service, settings, publicDomain, liveDials, transport);
    const started = performance.now();
    const options = {
      target: host.target!,
      adminPort: settings.caddyAdminPort,
      upstreamId: settings.caddyUpstreamId,
      containerName: service.containerName,
    };
    const [config, upstreams, health] = await transport.use((pool) =>
      Promise.all([getCaddyConfig({ ...options, pool }), getUpstreams({ ...options, pool }), getUpstreamHealth({ ...options, pool })]),
    );
    const latencyMs = Math.round(performance.now() - started);
    const handlers = config ? findReverseProxyHandlers(config).length : 0;
    const fails = health.filter((u) => upstreams.includes(u.address)).reduce((sum, u) => sum + u.fails, 0);
    const [tls, dns] = await Promise.all([readTls(publicDomain), checkDnsPointsAt(new URL(publicDomain).hostname, host.address)]);
    const problems: string[] = [];
    let status: CheckResult["status"] = "ok";
    if (!config) {
      status = "down";
      problems.push("Caddy runs without a config");
    } else if (upstreams.length === 0) {
      status = "down";
      problems.push("the PixelFox reverse_proxy has no upstreams");
    } else if (liveDials.length && [...upstreams].sort().join() !== [...liveDials].sort().join()) {
      status = "warn";
      problems.push(`Caddy sends traffic to ${upstreams.join(", ")} but the live app is on ${liveDials.join(", ")}`);
    }
    if (fails > 0 && status === "ok") {
      status = "warn";
      problems.push(`${fails} recent failed request(s) to the upstreams`);
    }
    if (dns.matches === false && status === "ok") {
      status = "warn";
      problems.push(dns.note ?? "the public domain does not point at the proxy host");
    }
    if (tls.daysLeft !== null && tls.daysLeft < 14 && status === "ok") {
      status = "warn";
      problems.push(`TLS certificate expires in ${tls.daysLeft} days`);
    }
    return makeResult(base, status, {
      reason: problems.join("; ") || null,
      latencyMs,
      metrics: { latency: latencyMs, upstreamFails: fails, ...(tls.daysLeft !== null ? { certDays: tls.daysLeft } : {}) },
      details: { configLoaded: Boolean(config), handlers, upstreams, upstreamHealth: health, tls, dns },
    });
  });
}

/** Nginx: the upstream file the panel manages (read in its container or on the host) against the live app. */
async function checkNginx(
  base: Parameters<typeof makeResult>[0],
  service: TopologyService,
  settings: DeploySettings,
  publicDomain: string,
  liveDials: string[],
  transport: ProbeTransport,
): Promise<CheckResult> {
  const started = performance.now();
  const upstreams = await transport.use(async (pool) => {
    const driver = await proxyDriverFor(
      { target: service.host.target!, containerName: service.containerName, settings: service.settings },
      settings,
      liveDials,
      createSshDocker(pool),
    );
    return driver.readUpstreams();
  });
  const latencyMs = Math.round(performance.now() - started);
  const [tls, dns] = await Promise.all([readTls(publicDomain), checkDnsPointsAt(new URL(publicDomain).hostname, service.host.address)]);
  const problems: string[] = [];
  let status: CheckResult["status"] = "ok";
  if (upstreams.length === 0) {
    status = "down";
    problems.push("Nginx's PixelFox upstream has no servers");
  } else if (liveDials.length && [...upstreams].sort().join() !== [...liveDials].sort().join()) {
    status = "warn";
    problems.push(`Nginx sends traffic to ${upstreams.join(", ")} but the live app is on ${liveDials.join(", ")}`);
  }
  if (dns.matches === false && status === "ok") {
    status = "warn";
    problems.push(dns.note ?? "the public domain does not point at the proxy host");
  }
  return makeResult(base, status, {
    reason: problems.join("; ") || null,
    latencyMs,
    metrics: { latency: latencyMs, ...(tls.daysLeft !== null ? { certDays: tls.daysLeft } : {}) },
    details: { proxy: "nginx", upstreams, tls, dns },
  });
}

interface TlsView {
  checked: boolean;
  note: string | null;
  issuer: string | null;
  daysLeft: number | null;
  validTo: string | null;
}

async function readTls(publicDomain: string): Promise<TlsView> {
  const url = new URL(publicBaseUrl(publicDomain));
  if (url.protocol !== "https:") {
    return {
      checked: false,
      note: `not checked: the public domain ${url.host} is served over plain http`,
      issuer: null,
      daysLeft: null,
      validTo: null,
    };
  }
  try {
    const cert = await readCertificate(url.hostname, Number(url.port) || 443);
    return {
      checked: true,
      note: cert.authorized ? null : `not trusted: ${cert.authorizationError}`,
      issuer: cert.issuer,
      daysLeft: cert.daysLeft,
      validTo: cert.validTo,
    };
  } catch (err) {
    return {
      checked: true,
      note: `could not read the certificate: ${(err as Error).message}`,
      issuer: null,
      daysLeft: null,
      validTo: null,
    };
  }
}
