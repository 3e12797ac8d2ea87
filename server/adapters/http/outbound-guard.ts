import dns, { type LookupAddress } from "node:dns";
import type net from "node:net";
import { AppError } from "@/server/errors";
import { canonicalIp, ipFamily, isLinkLocalOrMetadata, isThisMachine } from "./ip-address";
import { normalizeHostName, readPanelAddress, type PanelAddress } from "./panel-address";

/** What an outbound address is for, so a refusal names the form field and the operator's word for it. */
export interface OutboundPurpose {
  /** Reported as `data.field`: "url", "endpoint", "registryUrl", "publicDomain", "host". */
  field: string;
  /** "webhook URL", "off-site endpoint", "registry URL", "public domain", "SMTP host". */
  label: string;
}

export type Resolver = (host: string) => Promise<LookupAddress[]>;

/** Seams for tests: a fake resolver, a fixed panel address. */
export interface OutboundDeps {
  resolve?: Resolver;
  /** Default: readPanelAddress(), read at every check. */
  panel?: PanelAddress;
}

export type OutboundRule = "panel-itself" | "link-local-or-metadata";

export interface OutboundTarget {
  url: URL;
  /** The URL's host without brackets. */
  host: string;
  port: number;
}

/** Names of metadata services, refused before any DNS answer (which could be faked or cached). */
const METADATA_NAMES = new Set(["metadata.google.internal"]);

const defaultResolve: Resolver = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

function ruleForAddress(canonical: string, port: number, panel: PanelAddress): OutboundRule | null {
  if (isLinkLocalOrMetadata(canonical)) return "link-local-or-metadata";
  if (panel.ports.has(port) && (isThisMachine(canonical) || panel.machineAddresses.has(canonical))) return "panel-itself";
  return null;
}

function ruleForName(name: string, port: number, panel: PanelAddress): OutboundRule | null {
  if (METADATA_NAMES.has(name)) return "link-local-or-metadata";
  if (panel.publishedAt.has(`${name}:${port}`)) return "panel-itself";
  const isMachine = panel.machineNames.has(name) || name.endsWith(".localhost");
  return panel.ports.has(port) && isMachine ? "panel-itself" : null;
}

function refusal(purpose: OutboundPurpose, shown: string, rule: OutboundRule, where: string): AppError {
  const message =
    rule === "panel-itself"
      ? `The ${purpose.label} ${shown} points at this panel itself (${where}): the panel never sends requests to its own port. Use the address of the service itself.`
      : `The ${purpose.label} ${shown} points at a link-local or cloud metadata address (${where}): the panel never sends requests there, since that is where a cloud machine's credentials are served. Use the service's own address.`;
  return new AppError("BAD_REQUEST", message, { data: { field: purpose.field, rule } });
}

/** Parse an http(s) URL, or refuse naming the field. Never echoes the path (webhook paths carry tokens). */
export function parseOutboundUrl(url: string | URL, purpose: OutboundPurpose): OutboundTarget {
  let u: URL;
  try {
    u = typeof url === "string" ? new URL(url) : url;
  } catch {
    throw new AppError("BAD_REQUEST", `The ${purpose.label} is not a valid URL: use e.g. https://host.example/path.`, {
      data: { field: purpose.field },
    });
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new AppError("BAD_REQUEST", `The ${purpose.label} must start with http:// or https://.`, { data: { field: purpose.field } });
  }
  const port = Number(u.port) || (u.protocol === "https:" ? 443 : 80);
  return { url: u, host: u.hostname.replace(/^\[|\]$/g, ""), port };
}

/**
 * Refuse a host as written (no DNS): an IP literal in any spelling, `localhost.`, a metadata name.
 * Security: sockets skip their `lookup` for IP literals, so this check is what guards those.
 */
export function assertHostLiteralAllowed(host: string, port: number, purpose: OutboundPurpose, deps: OutboundDeps = {}): void {
  const panel = deps.panel ?? readPanelAddress();
  const shown = `${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`;
  const ip = canonicalIp(host);
  const rule = ip ? ruleForAddress(ip, port, panel) : ruleForName(normalizeHostName(host), port, panel);
  if (rule) throw refusal(purpose, shown, rule, ip ? `${ip} port ${port}` : `${normalizeHostName(host)} port ${port}`);
}

/** Save-time check of a URL as written: refuses at once what is forbidden whatever DNS says. */
export function assertOutboundLiteralAllowed(url: string | URL, purpose: OutboundPurpose, deps: OutboundDeps = {}): OutboundTarget {
  const target = parseOutboundUrl(url, purpose);
  assertHostLiteralAllowed(target.host, target.port, purpose, deps);
  return target;
}

/** Every address `host` stands for, each checked; refuses when any one is forbidden. */
async function resolveAllowed(host: string, port: number, purpose: OutboundPurpose, deps: OutboundDeps): Promise<LookupAddress[]> {
  const panel = deps.panel ?? readPanelAddress();
  assertHostLiteralAllowed(host, port, purpose, { ...deps, panel });
  const ip = canonicalIp(host);
  if (ip) return [{ address: ip, family: ipFamily(ip) }];
  const name = normalizeHostName(host);
  const addresses = await (deps.resolve ?? defaultResolve)(host);
  for (const a of addresses) {
    const canonical = canonicalIp(a.address) ?? a.address;
    const rule = ruleForAddress(canonical, port, panel);
    if (rule) throw refusal(purpose, `${name}:${port}`, rule, `${name} resolves to ${canonical}, port ${port}`);
  }
  if (addresses.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND", hostname: host });
  return addresses;
}

/**
 * Refuse an outbound URL that reaches this panel's own port or a link-local / metadata address, in
 * any spelling, including a name that resolves there. Callers also connect through
 * createGuardedLookup: a name checked here may resolve elsewhere a moment later (DNS rebinding).
 */
export async function assertOutboundAllowed(url: string | URL, purpose: OutboundPurpose, deps: OutboundDeps = {}): Promise<OutboundTarget> {
  const target = parseOutboundUrl(url, purpose);
  await resolveAllowed(target.host, target.port, purpose, deps);
  return target;
}

/**
 * A `lookup` for net/http/tls sockets and agents that resolves the name and checks every address
 * before the socket connects. Security: this is the check on the address actually connected to.
 */
export function createGuardedLookup(port: number, purpose: OutboundPurpose, deps: OutboundDeps = {}): net.LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, port, purpose, deps).then(
      (addresses) => {
        const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : options.family;
        const wanted = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
        if (options.all) return callback(null, wanted);
        const first = wanted[0];
        if (!first) {
          return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname }), "", 0);
        }
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, "", 0),
    );
  };
}
