import type { AcceptedTcp, DockerPublishedPort, PortRange } from "./types";

export type ServerRole = "app" | "db" | "cache";

/** A TCP port a role may expose; `privateOnly` ports may be reached only from the given private sources. */
export interface AllowedPort {
  port: number;
  privateOnly: boolean;
}

/** The go-live plan's Security Baseline: app 22/80/443; db 22 + 3306 and cache 22 + 6379 only from the app hosts. */
export const ROLE_PORTS: Readonly<Record<ServerRole, readonly AllowedPort[]>> = {
  app: [
    { port: 22, privateOnly: false },
    { port: 80, privateOnly: false },
    { port: 443, privateOnly: false },
  ],
  db: [
    { port: 22, privateOnly: false },
    { port: 3306, privateOnly: true },
  ],
  cache: [
    { port: 22, privateOnly: false },
    { port: 6379, privateOnly: true },
  ],
};

/** One way a host is reachable beyond what its roles allow. */
export interface PortViolation {
  /** "every port", "4000", "3306 from anywhere"… */
  what: string;
  /** The port or range in ufw's syntax ("4000", "8000:8100") to close or restrict; null for "every port". */
  port: string | null;
  restrict: boolean;
  rule: string;
}

/** A host can hold several roles (app + data on one VPS): it may expose the union of their ports. */
export function allowedPortsOf(roles: readonly ServerRole[]): AllowedPort[] {
  const byPort = new Map<number, AllowedPort>();
  for (const p of roles.flatMap((r) => ROLE_PORTS[r])) {
    const seen = byPort.get(p.port);
    byPort.set(p.port, { port: p.port, privateOnly: (seen?.privateOnly ?? true) && p.privateOnly });
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

/** Accepts that open more than the roles allow; loopback-only accepts never count. */
export function findFirewallViolations(
  accepted: readonly AcceptedTcp[],
  allowed: readonly AllowedPort[],
  privateSources: readonly string[],
): PortViolation[] {
  const out: PortViolation[] = [];
  for (const a of accepted.filter((x) => x.iface !== "lo")) {
    if (a.ports === "any") {
      const from = a.sources === "any" ? "" : ` from ${a.sources.join(", ")}`;
      out.push({ what: `every port${from}`, port: null, restrict: false, rule: a.rule });
      continue;
    }
    for (const range of a.ports) {
      const label = range.from === range.to ? String(range.from) : `${range.from}:${range.to}`;
      if ([...portsIn(range)].some((p) => !allowed.some((x) => x.port === p)))
        out.push({ what: label, port: label, restrict: false, rule: a.rule });
      for (const p of allowed.filter((x) => x.privateOnly && x.port >= range.from && x.port <= range.to)) {
        if (sourcesWithin(a.sources, privateSources)) continue;
        out.push({
          what: `${p.port} from ${a.sources === "any" ? "anywhere" : a.sources.join(", ")}`,
          port: String(p.port),
          restrict: true,
          rule: a.rule,
        });
      }
    }
  }
  return out;
}

/** Docker-published ports that are not loopback-only: the firewall's source rules never see that traffic. */
export function findDockerViolations(published: readonly DockerPublishedPort[], allowed: readonly AllowedPort[]): PortViolation[] {
  return published.flatMap((d) => {
    if (d.hostIp !== "any" && isLoopbackIp(d.hostIp)) return [];
    const port = d.hostPort.from;
    const rule = allowed.find((p) => p.port === port);
    if (rule && !rule.privateOnly) return [];
    const where = d.hostIp === "any" ? "all interfaces" : d.hostIp;
    return [{ what: `${port} published by Docker on ${where}`, port: String(port), restrict: Boolean(rule), rule: d.rule }];
  });
}

/** Every source lies inside one of the allowed ones (IPv4 CIDR containment; other addresses must match exactly). */
export function sourcesWithin(sources: string[] | "any", allowed: readonly string[]): boolean {
  if (sources === "any" || sources.length === 0) return false;
  return sources.every((s) => allowed.some((a) => cidrContains(a, s)));
}

function cidrContains(outer: string, inner: string): boolean {
  const [oAddr = "", oBits] = outer.split("/");
  const [iAddr = "", iBits] = inner.split("/");
  const o = ipv4ToInt(oAddr);
  const i = ipv4ToInt(iAddr);
  if (o === null || i === null) return stripHostBits(outer) === stripHostBits(inner);
  const ob = oBits === undefined ? 32 : Number(oBits);
  const ib = iBits === undefined ? 32 : Number(iBits);
  if (ib < ob) return false;
  const mask = ob === 0 ? 0 : (~0 << (32 - ob)) >>> 0;
  return (o & mask) >>> 0 === (i & mask) >>> 0;
}

function ipv4ToInt(addr: string): number | null {
  const parts = addr.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  return parts.reduce((n, p) => n * 256 + p, 0);
}

function stripHostBits(a: string): string {
  return a.replace(/\/(32|128)$/, "").toLowerCase();
}

function isLoopbackIp(ip: string): boolean {
  return /^127\./.test(ip) || ip === "::1";
}

function* portsIn(range: PortRange): Generator<number> {
  for (let p = range.from; p <= range.to; p++) yield p;
}
