import type { AuditedHost, Reachability } from "./host-facts";
import type { ContainerBindings, DockerPorts, PublishedBinding } from "./parsers/parse-docker-ports";
import { isAllInterfaces, isLoopback, type ListeningSocket, type ListeningSockets } from "./parsers/parse-listening-sockets";
import { sourcesWithin } from "./parsers/role-ports";
import type { FirewallView, Known } from "./parsers/types";

/** Where a bound address can be reached from: the host only, the private network, or the internet. */
export type Reach = "loopback" | "private" | "all interfaces" | "public";

export interface BindingOnHost {
  container: string;
  binding: PublishedBinding;
  reach: Reach;
  line: string;
}

/** A listening socket Docker does not account for: a host-installed service (or a host-network container). */
export interface HostListener {
  socket: ListeningSocket;
  reach: Reach;
  /** Whether the active firewall keeps it from everyone but the app hosts. */
  firewallRestricts: Known<boolean>;
}

/** Everything the audit knows about one port, from Docker, `ss` and the panel's own connect. */
export interface PortExposure {
  port: number;
  /** null when Docker could not be read. */
  bindings: BindingOnHost[] | null;
  dockerProblem: string | null;
  /** null when `ss` could not be read. */
  listeners: HostListener[] | null;
  ssProblem: string | null;
  reachability: Reachability | null;
}

export interface ExposureInputs {
  host: AuditedHost;
  docker: DockerPorts | null;
  sockets: ListeningSockets;
  views: readonly FirewallView[];
  privateSources: readonly string[];
  reachability: readonly Reachability[];
}

/** Every binding and host listener of `port`; `matchesBinding` decides which Docker bindings belong to it. */
export function exposureOf(port: number, inputs: ExposureInputs, matchesBinding: (b: PublishedBinding) => boolean): PortExposure {
  const { host, docker, sockets } = inputs;
  const readable = docker?.readable ? docker : null;
  const bindings = readable
    ? readable.containers.flatMap((c) => c.bindings.filter(matchesBinding).map((b) => bindingOnHost(c, b, host)))
    : null;
  const listeners = sockets.readable
    ? sockets.sockets
        .filter((s) => s.port === port && !isDockers(s, readable?.containers ?? []))
        .map((socket) => ({
          socket,
          reach: socketReach(socket, host),
          firewallRestricts: firewallRestricts(inputs.views, port, inputs.privateSources),
        }))
    : null;
  return {
    port,
    bindings,
    dockerProblem: docker === null ? "Docker could not be read" : docker.readable ? null : (docker.problem ?? "unreadable"),
    listeners,
    ssProblem: sockets.readable ? null : (sockets.problem ?? "unreadable"),
    reachability: inputs.reachability.find((r) => r.port === port) ?? null,
  };
}

/** How the panel's own connect went, as the evidence shows it. */
export function describeReachability(address: string, port: number, r: Reachability | null): string {
  const where = `TCP connect to ${address}:${port} from the panel`;
  if (!r) return `${where}: not tried`;
  const detail = r.detail.trim() ? ` (${r.detail.trim()})` : "";
  return `${where}: ${r.open === true ? "open" : r.open === false ? "closed" : "not tried"}${detail}`;
}

/**
 * Whether the active firewall keeps `port` from everyone but the app hosts: it drops by default and accepts the port
 * only on loopback or from those sources. Unknown when no active firewall could be read.
 */
export function firewallRestricts(views: readonly FirewallView[], port: number, privateSources: readonly string[]): Known<boolean> {
  const chosen = views.find((v) => v.readable && v.active === true);
  if (!chosen) return views.length > 0 && views.every((v) => v.readable && v.active === false) ? false : "unknown";
  if (chosen.defaultInbound !== "deny") return chosen.defaultInbound === "allow" ? false : "unknown";
  const accepts = chosen.acceptedTcp.filter(
    (a) => a.iface !== "lo" && (a.ports === "any" || a.ports.some((r) => r.from <= port && port <= r.to)),
  );
  return accepts.every((a) => sourcesWithin(a.sources, privateSources));
}

function bindingOnHost(c: ContainerBindings, b: PublishedBinding, host: AuditedHost): BindingOnHost {
  const reach = b.isAllInterfaces ? "all interfaces" : addressReach(b.hostIp, host);
  const hostPort = b.hostPort === "unknown" ? "(a port Docker picks at start)" : b.hostPort;
  return {
    container: c.name,
    binding: b,
    reach,
    line: `${c.name}: ${b.hostIp || "(all)"}:${hostPort} → ${b.containerPort}/${b.proto} (${reach})`,
  };
}

function socketReach(s: ListeningSocket, host: AuditedHost): Reach {
  if (isLoopback(s)) return "loopback";
  return isAllInterfaces(s) ? "all interfaces" : addressReach(s.address, host);
}

/** The address the panel reaches the host on is public, unless it is also the host's private address. */
function addressReach(ip: string, host: AuditedHost): Reach {
  if (/^127\./.test(ip) || ip === "::1" || /^::ffff:127\./i.test(ip)) return "loopback";
  if (ip === host.address && host.address !== host.privateAddress) return "public";
  return isPrivateIp(ip) ? "private" : "public";
}

/** RFC 1918, CGNAT 100.64/10, IPv6 ULA and link-local addresses. */
export function isPrivateIp(ip: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(ip.replace(/^::ffff:/i, ""));
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  return /^f[cd][0-9a-f]{2}:/i.test(ip) || /^fe[89ab][0-9a-f]:/i.test(ip);
}

/** docker-proxy listens where Docker publishes: on every address for an all-interfaces binding, else on its HostIp. */
function isDockers(s: ListeningSocket, containers: readonly ContainerBindings[]): boolean {
  return containers.some((c) =>
    c.bindings.some((b) => b.hostPort === s.port && (b.isAllInterfaces ? isAllInterfaces(s) : b.hostIp === s.address)),
  );
}
