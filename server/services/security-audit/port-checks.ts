import type { AuditCheck, AuditVerdict } from "@/server/domain/security-audit";
import { readFirewallViews, readListeningSockets } from "./command-readers";
import { serverRolesOf } from "./firewall-checks";
import type { HostFacts } from "./host-facts";
import { DOCKER_NOTE } from "./parsers/evaluate-firewall";
import { parseContainerInspectPorts, type PublishedBinding } from "./parsers/parse-docker-ports";
import { allowedPortsOf } from "./parsers/role-ports";
import { makeEvidence } from "./parsers/types";
import { describeReachability, exposureOf, type ExposureInputs, type HostListener, type PortExposure, type Reach } from "./port-exposure";

/** The ports the plan keeps off the internet: the database and the cache (only the app hosts may reach them). */
const PRIVATE_PORTS: Readonly<Record<number, { role: string; what: string; config: string }>> = {
  3306: { role: "db", what: "MySQL", config: "bind-address = <private-ip> in the server's my.cnf (mysqld.cnf / 50-server.cnf)" },
  6379: { role: "cache", what: "Redis/Dragonfly", config: "bind 127.0.0.1 <private-ip> in redis.conf (Dragonfly: --bind)" },
};
const APP_PORT = 4000;
const OPEN: ReadonlySet<Reach> = new Set(["all interfaces", "public"]);
const isOpen = (r: Reach) => OPEN.has(r);
const notLoopback = (r: Reach) => r !== "loopback";

/**
 * Published ports: what each container publishes and where, the database and cache ports (`ports-published:<port>`) and
 * the app's 4000 (`ports-4000-internal`), from Docker's view, the host's listening sockets and the panel's own connects.
 */
export function evaluatePortChecks(facts: HostFacts): AuditCheck[] {
  const inputs: ExposureInputs = {
    host: facts.host,
    docker: facts.containers === null ? null : parseContainerInspectPorts(facts.containers),
    sockets: readListeningSockets(facts.commands.ss),
    views: readFirewallViews(facts.commands).views,
    privateSources: facts.appPrivateSources,
    reachability: facts.reachability,
  };
  const roles = facts.host.roles;
  const special = (b: PublishedBinding) => [APP_PORT, ...Object.keys(PRIVATE_PORTS).map(Number)].includes(b.containerPort);
  const checks: AuditCheck[] = [];
  for (const port of Object.keys(PRIVATE_PORTS).map(Number)) {
    const e = exposureOf(port, inputs, (b) => b.hostPort === port || b.containerPort === port);
    if (roles.includes(PRIVATE_PORTS[port]!.role) || hasSignal(e, isOpen)) checks.push(privatePortCheck(e, facts));
  }
  const app = exposureOf(APP_PORT, inputs, (b) => b.hostPort === APP_PORT || b.containerPort === APP_PORT);
  if (roles.some((r) => r === "app" || r === "storage") || hasSignal(app, notLoopback)) checks.push(appPortCheck(app, facts));
  const others = new Set(
    (inputs.docker?.readable ? inputs.docker.containers : []).flatMap((c) =>
      c.bindings.filter((b) => !special(b) && b.hostPort !== "unknown").map((b) => b.hostPort as number),
    ),
  );
  for (const port of [...others].filter((p) => !(p in PRIVATE_PORTS) && p !== APP_PORT).sort((a, b) => a - b)) {
    checks.push(
      otherPortCheck(
        exposureOf(port, inputs, (b) => b.hostPort === port && !special(b)),
        facts,
      ),
    );
  }
  return checks;
}

function privatePortCheck(e: PortExposure, facts: HostFacts): AuditCheck {
  const { what, config } = PRIVATE_PORTS[e.port]!;
  const docker = (e.bindings ?? []).filter((b) => OPEN.has(b.reach));
  const fix = [
    ...(docker.length ? [dockerFix(e.port, facts)] : []),
    ...(openListeners(e, isOpen).length
      ? [`${what} listens outside Docker: set ${config}, or allow only the app hosts:\n${ufwFix(e.port, facts)}`]
      : []),
  ];
  return portCheck(e, facts, {
    id: `ports-published:${e.port}`,
    label: `${e.port} (${what}) is not reachable from the internet`,
    verdict: verdictOf(e, docker.length > 0, isOpen),
    why: `The plan lets only the app hosts reach ${e.port}. A ${what} port open to the internet is scanned within minutes and brute-forced or exploited.`,
    fix: fix.length ? fix.join("\n") : lookFix(e.port, facts),
    docker: docker.length > 0,
  });
}

function appPortCheck(e: PortExposure, facts: HostFacts): AuditCheck {
  // The app's own port is never for outside: even a private address bypasses the proxy (TLS, rate limits).
  const docker = (e.bindings ?? []).filter((b) => b.reach !== "loopback");
  const fix = [
    ...(docker.length
      ? [`Publish the app on the loopback only, as the compose file does: ports: ["127.0.0.1:4000:4000"], then recreate the container.`]
      : []),
    ...(openListeners(e, notLoopback).length
      ? [`Something listens on 4000 outside Docker: bind it to 127.0.0.1 (APP_HOST), or:\nsudo ufw deny 4000/tcp`]
      : []),
  ];
  return portCheck(e, facts, {
    id: "ports-4000-internal",
    label: "The app's port 4000 is not reachable from outside",
    verdict: verdictOf(e, docker.length > 0, notLoopback),
    why: "The plan blocks 4000 externally: the app must be reached through the proxy (TLS, one public entry), never directly.",
    fix: fix.length ? fix.join("\n") : lookFix(e.port, facts),
    docker: docker.length > 0,
  });
}

function otherPortCheck(e: PortExposure, facts: HostFacts): AuditCheck {
  const roles = serverRolesOf(facts.host.roles);
  const publicOk = allowedPortsOf(roles).some((p) => p.port === e.port && !p.privateOnly);
  const open = (e.bindings ?? []).filter((b) => OPEN.has(b.reach));
  const verdict: AuditVerdict =
    e.bindings === null ? "unknown" : open.length === 0 || publicOk ? "pass" : roles.length ? "fail" : "unknown";
  return portCheck(e, facts, {
    id: `ports-published:${e.port}`,
    label: `${e.port} is published only where the plan allows`,
    verdict,
    why: publicOk
      ? `The plan opens ${e.port} on this host's roles.`
      : `The plan does not open ${e.port} on this host's roles (${roles.join(", ") || "none set"}); a port Docker publishes on all interfaces is open whatever ufw says.`,
    fix:
      verdict === "unknown" && roles.length === 0
        ? "Give the host its roles in the panel: which ports it may open depends on them."
        : `In the compose file, publish it as "127.0.0.1:${e.port}:<container port>" or remove the ports entry, then recreate the container.`,
    docker: open.length > 0 && !publicOk,
  });
}

/**
 * Fail on what the configuration exposes (Docker, an unrestricted host listener) or on an open connect from the panel;
 * pass only when Docker was read and `ss` or the panel's connect confirms nothing else listens; otherwise unknown.
 */
function verdictOf(e: PortExposure, dockerExposes: boolean, exposes: (r: Reach) => boolean): AuditVerdict {
  const listeners = (e.listeners ?? []).filter((l) => exposes(l.reach));
  if (dockerExposes || e.reachability?.open === true || listeners.some((l) => l.firewallRestricts === false)) return "fail";
  if (e.bindings === null || listeners.some((l) => l.firewallRestricts === "unknown")) return "unknown";
  return e.listeners !== null || e.reachability?.open === false ? "pass" : "unknown";
}

interface PortFinding {
  id: string;
  label: string;
  verdict: AuditVerdict;
  why: string;
  fix: string;
  docker: boolean;
}

function portCheck(e: PortExposure, facts: HostFacts, f: PortFinding): AuditCheck {
  const reach = describeReachability(facts.host.address, e.port, e.reachability);
  const both =
    f.docker && e.reachability?.open === false
      ? [
          "The configuration publishes it, yet the panel's connect did not get through: something in front (a provider firewall?) blocks it today; the configuration still exposes it.",
        ]
      : [];
  const evidence = makeEvidence([
    ...(e.bindings === null
      ? [`Docker: ${e.dockerProblem ?? "not read"}`]
      : e.bindings.length
        ? e.bindings.map((b) => b.line)
        : [`Docker: no container publishes ${e.port}`]),
    ...(e.listeners === null
      ? [`ss -ltnH: ${e.ssProblem ?? "not read"}`]
      : e.listeners.map(
          (l) =>
            `listening outside Docker: ${l.socket.raw.split(/\s+/)[3] ?? l.socket.address} (${l.reach}; firewall restricts it: ${l.firewallRestricts})`,
        )),
    reach,
    ...both,
    ...(f.docker ? [DOCKER_NOTE] : []),
  ]);
  return {
    id: f.id,
    area: "ports",
    label: f.label,
    verdict: f.verdict,
    evidence,
    why: f.why,
    fix: f.verdict === "pass" ? null : f.verdict === "unknown" ? unknownFix(e) : f.fix,
    panelFix: null,
  };
}

function hasSignal(e: PortExposure, exposes: (r: Reach) => boolean): boolean {
  return (e.bindings?.length ?? 0) > 0 || openListeners(e, exposes).length > 0 || e.reachability?.open === true;
}

/** Host listeners on an exposed address that the firewall does not (or may not) restrict. */
function openListeners(e: PortExposure, exposes: (r: Reach) => boolean): HostListener[] {
  return (e.listeners ?? []).filter((l) => exposes(l.reach) && l.firewallRestricts !== true);
}

function dockerFix(port: number, facts: HostFacts): string {
  const ip = facts.host.privateAddress ?? "<private-ip>";
  const src = facts.appPrivateSources[0] ?? "<app-private-ip>";
  return [
    `In the compose file, publish ${port} on the host's private address only: ports: ["${ip}:${port}:${port}"] (or "127.0.0.1:${port}:${port}" when the app runs on this host), then recreate the container.`,
    `To let only the app hosts in, filter in DOCKER-USER (ufw does not see this traffic):`,
    `sudo iptables -I DOCKER-USER -p tcp -m conntrack --ctorigdstport ${port} --ctdir ORIGINAL ! -s ${src} -j DROP`,
  ].join("\n");
}

function ufwFix(port: number, facts: HostFacts): string {
  const sources = facts.appPrivateSources.length ? facts.appPrivateSources : ["<app-private-ip>"];
  return [
    ...sources.map((s) => `sudo ufw allow from ${s} to any port ${port} proto tcp`),
    "sudo ufw default deny incoming",
    "sudo ufw enable",
  ].join("\n");
}

function lookFix(port: number, facts: HostFacts): string {
  return `Something answers on ${facts.host.address}:${port}: find it with sudo ss -ltnp 'sport = :${port}' and bind it to the loopback or a private address.`;
}

function unknownFix(e: PortExposure): string {
  if (e.bindings === null)
    return "The panel could not read Docker's containers: check that the host's Docker socket is reachable, then run the audit again.";
  if (e.listeners === null) return "The panel could not read the listening sockets (ss -ltnH): install iproute2, then run the audit again.";
  return "A service listens on this port outside Docker and the firewall could not be read: let the audit read it (root, or sudo -n for ufw/nft/iptables-save).";
}
