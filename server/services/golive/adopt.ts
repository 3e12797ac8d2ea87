import { createSshDocker, type DockerConnector } from "@/server/adapters/docker";
import { execCommand } from "@/server/adapters/ssh/exec";
import { db } from "@/server/db";
import { parseDeploySettings } from "@/server/domain/deploy";
import { isAppError } from "@/server/errors";
import { startLockedJob } from "@/server/jobs/stack-lock";
import type { JobContext } from "@/server/jobs/types";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import { proxyDriverFor } from "@/server/services/proxy/proxy-for-stack";
import { diffRole, type AdoptDifference } from "./adopt-diff";
import { isAllInterfaces, readRunningConfig, type RunningConfig } from "./running-config";
import { privateAddressOf, readPlacementLoose, type ServiceRow } from "./stack-layout";
import type { HostExec } from "./host-files";
import { ensureReloadSafety, readReloadSafety, RELOAD_SAFETY_WHY } from "./reload-safety";

const sshExec: HostExec = (t, argv, o) => execCommand(t, argv, o);

export interface AdoptPreview {
  stack: string;
  services: {
    role: string;
    host: string;
    container: string;
    found: boolean;
    image: string | null;
    ports: string;
    networkMode: string | null;
  }[];
  differences: AdoptDifference[];
  proxy: { kind: "caddy" | "nginx" | null; upstreams: string[] | null; error: string | null };
}

async function readService(docker: DockerConnector, s: ServiceRow, target: Parameters<DockerConnector>[0]): Promise<RunningConfig | null> {
  const info = await docker(target)
    .inspectContainer(s.containerName)
    .catch((err: unknown) => (isAppError(err) && err.code === "NOT_FOUND" ? null : Promise.reject(err)));
  return info ? readRunningConfig(info) : null;
}

/** The proxy kind from what runs: an nginx image (or command) is Nginx, everything else Caddy. */
const proxyKindOfRunning = (rc: RunningConfig | null) =>
  rc && (/nginx/i.test(rc.image) || rc.cmd.some((a) => /nginx/.test(a))) ? "nginx" : "caddy";

/**
 * Reads what runs on the stack's hosts (containers by their service names, ports, binds, env,
 * command; the proxy's live upstreams) and how it differs from what the panel would provision.
 * Changes nothing.
 */
export async function previewAdoption(
  stackRef: string,
  docker: DockerConnector = createSshDocker(),
  exec: HostExec = sshExec,
): Promise<AdoptPreview> {
  const stack = await getStackRow(stackRef);
  const p = await readPlacementLoose(stack, "reading what runs there");
  const services: AdoptPreview["services"] = [];
  const differences: AdoptDifference[] = [];
  let proxyRc: RunningConfig | null = null;
  for (const s of p.services) {
    const rc = await readService(docker, s, p.targets.get(s.hostId)!);
    if (s.kind === "proxy") proxyRc = rc;
    services.push({
      role: s.kind,
      host: s.host.name,
      container: s.containerName,
      found: Boolean(rc),
      image: rc?.image ?? null,
      ports: rc
        ? rc.ports.map((x) => `${isAllInterfaces(x.hostIp) ? "0.0.0.0" : x.hostIp}:${x.hostPort}→${x.containerPort}`).join(", ") || "none"
        : "-",
      networkMode: rc?.networkMode ?? null,
    });
    differences.push(...diffRole(s.kind, s.host.name, privateAddressOf(s.host), rc));
  }
  let proxy: AdoptPreview["proxy"] = { kind: null, upstreams: null, error: null };
  const ps = p.services.find((s) => s.kind === "proxy");
  if (ps) {
    const kind = proxyKindOfRunning(proxyRc);
    try {
      const driver = await driverFor(ps, kind, p.targets.get(ps.hostId)!, stack.deploySettings, p.services, docker);
      proxy = { kind, upstreams: await driver.readUpstreams(), error: null };
      differences.push({
        role: "proxy",
        host: ps.host.name,
        what: "upstream",
        running:
          kind === "caddy"
            ? `Caddy sends traffic to ${proxy.upstreams!.join(", ")}`
            : `the site proxies to ${proxy.upstreams!.join(", ")} directly`,
        panel:
          kind === "caddy"
            ? "switched through Caddy's admin API at the handler found by its upstream, the Caddyfile kept in step"
            : "the site proxies to an upstream file the panel rewrites, checked with nginx -t, reloaded gracefully",
        kind: kind === "caddy" ? "info" : "change",
      });
    } catch (err) {
      proxy = { kind, upstreams: null, error: isAppError(err) ? err.message : "Internal error: see the panel's log" };
    }
    if (kind === "caddy") {
      const safety = await readReloadSafety(exec, p.targets.get(ps.hostId)!);
      if (safety.state !== "on" || !safety.persisted)
        differences.push({
          role: "proxy",
          host: ps.host.name,
          what: "net.ipv4.tcp_migrate_req",
          running: safety.evidence,
          panel:
            safety.state === "unsupported"
              ? `cannot be set on this kernel (Linux 5.14+): ${RELOAD_SAFETY_WHY}`
              : `set to 1 and persisted on adoption: ${RELOAD_SAFETY_WHY}`,
          kind: safety.state === "unsupported" ? "risk" : "change",
        });
    }
  }
  return { stack: stack.name, services, differences, proxy };
}

async function driverFor(
  ps: ServiceRow,
  kind: "caddy" | "nginx",
  target: Parameters<DockerConnector>[0],
  deploySettings: string,
  services: ServiceRow[],
  docker: DockerConnector,
) {
  const settings = parseDeploySettings(deploySettings);
  const stored = JSON.parse(ps.settings || "{}") as Record<string, unknown>;
  const dials = services
    .filter((s) => s.kind === "app")
    .flatMap((a) => {
      const host = a.hostId === ps.hostId ? "127.0.0.1" : privateAddressOf(a.host);
      return [`${host}:${settings.bluePort}`, `${host}:${settings.greenPort}`];
    });
  return proxyDriverFor({ target, containerName: ps.containerName, settings: { ...stored, proxy: kind } }, settings, dials, docker);
}

/**
 * Takes the stack over: the proxy prepared for the panel's switches (Caddy: the handler is found by
 * its upstream, and the host's tcp_migrate_req set so its reloads reset no connection; Nginx: the
 * upstream include, nginx -t, graceful reload), each
 * service's settings recorded (where it listens, which proxy). Nothing that serves traffic restarts.
 */
export async function startAdoption(
  stackRef: string,
  actor: Actor,
  docker: DockerConnector = createSshDocker(),
  exec: HostExec = sshExec,
): Promise<{ jobId: string }> {
  const stack = await getStackRow(stackRef);
  const steps = [
    { key: "read", label: "Read what runs" },
    { key: "proxy", label: "Prepare the proxy" },
    { key: "record", label: "Record the services" },
  ];
  const { jobId } = await startLockedJob(
    { kind: "adopt", title: `Adopt ${stack.name}`, stackId: stack.id, actor, steps, purpose: "adopt" },
    (job) => runAdoption(job, stackRef, actor, docker, exec),
  );
  await recordAuditEvent(actor, { action: "adopt.start", target: stack.name, details: { jobId } });
  return { jobId };
}

async function runAdoption(job: JobContext, stackRef: string, actor: Actor, docker: DockerConnector, exec: HostExec) {
  const preview = await job.step("read", async () => {
    const pv = await previewAdoption(stackRef, docker, exec);
    for (const s of pv.services)
      job.log(
        `${s.role} on ${s.host}: ${s.found ? `${s.container} (${s.image}), ports ${s.ports}, ${s.networkMode} network` : `no ${s.container}`}`,
      );
    for (const d of pv.differences)
      job.log(
        `${d.kind === "risk" ? "RISK" : d.kind}: ${d.role} on ${d.host}: ${d.what}: ${d.running} (the panel: ${d.panel})`,
        d.kind === "risk" ? "warn" : "info",
      );
    if (pv.proxy.error) throw new Error(pv.proxy.error);
    return pv;
  });
  const stack = await getStackRow(stackRef);
  const p = await readPlacementLoose(stack, "adopting it");
  const ps = p.services.find((s) => s.kind === "proxy")!;
  const app = p.services.find((s) => s.kind === "app");
  const currentDial =
    preview.proxy.upstreams?.[0] ??
    (app && app.hostId === ps.hostId ? "127.0.0.1:4000" : `${app ? privateAddressOf(app.host) : "127.0.0.1"}:4000`);
  const report = await job.step("proxy", async () => {
    const driver = await driverFor(ps, preview.proxy.kind ?? "caddy", p.targets.get(ps.hostId)!, stack.deploySettings, p.services, docker);
    const r = await driver.adopt(currentDial);
    for (const f of r.findings) job.log(f);
    for (const c of r.changes) job.log(`changed: ${c}`);
    const changes = [...r.changes];
    if ((preview.proxy.kind ?? "caddy") === "caddy") {
      // Caddy reloads on every switch: the host's kernel must move queued connections to the new listener.
      const safety = await ensureReloadSafety(exec, p.targets.get(ps.hostId)!);
      job.log(safety.message, safety.ok ? "info" : "warn");
      if (safety.message.startsWith("changed: ")) changes.push(safety.message.slice("changed: ".length));
    }
    if (!changes.length) job.log(`${driver.describe()}: nothing to change; deploys switch it from here`);
    return { ...r, changes };
  });
  await job.step("record", async () => {
    for (const s of p.services) {
      const rc = await readService(docker, s, p.targets.get(s.hostId)!);
      const prev = JSON.parse(s.settings || "{}") as Record<string, unknown>;
      const next: Record<string, unknown> = { ...prev, adoptedAt: new Date().toISOString() };
      if (s.kind === "proxy") next.proxy = preview.proxy.kind ?? "caddy";
      const published = rc?.ports.find((x) => x.containerPort === (s.kind === "db" ? 3306 : s.kind === "cache" ? 6379 : 4000));
      if ((s.kind === "db" || s.kind === "cache") && published)
        next.listenAddress = isAllInterfaces(published.hostIp) ? "127.0.0.1" : published.hostIp;
      await db.service.update({ where: { id: s.id }, data: { settings: JSON.stringify(next) } });
    }
    job.log(`recorded ${p.services.length} services of ${stack.name}; from now on deploys, backups and health checks use them as they run`);
  });
  await recordAuditEvent(actor, {
    action: "adopt.succeeded",
    target: stack.name,
    details: { jobId: job.jobId, changes: report.changes, risks: preview.differences.filter((d) => d.kind === "risk").length },
  });
  return { differences: preview.differences, changes: report.changes };
}
