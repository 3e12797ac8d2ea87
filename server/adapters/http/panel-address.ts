import os from "node:os";
import { canonicalIp, isThisMachine } from "./ip-address";

/** Where this panel can be reached, for refusing outbound requests that would come back to it. */
export interface PanelAddress {
  /** The ports the panel listens on (on any address of this machine). */
  ports: Set<number>;
  /** This machine's own interface addresses, canonical (see canonicalIp). */
  machineAddresses: Set<string>;
  /** Names that are this machine (`localhost` is always one), lower-case, without trailing dot. */
  machineNames: Set<string>;
  /** `host:port` where the panel is published (PANEL_URL, e.g. behind a proxy): refused as written. */
  publishedAt: Set<string>;
}

/** The port `next start` / `next dev` listen on when nothing says otherwise. */
const DEFAULT_PORT = 3000;

/** The panel's public URL, when the operator sets one. Read here until env.ts validates it. */
export function readPanelUrl(env: Record<string, string | undefined> = process.env): string | undefined {
  return env.PANEL_URL?.trim() || undefined;
}

function portOf(url: URL): number {
  return Number(url.port) || (url.protocol === "https:" ? 443 : 80);
}

function parseUrl(value: string | undefined): URL | null {
  if (!value) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** A host name as compared here: lower-case, no brackets, no trailing dot. */
export function normalizeHostName(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.+$/, "");
}

/**
 * The running panel's address: Next's PORT and __NEXT_PRIVATE_ORIGIN (set by `next start`), plus
 * PANEL_URL; the machine's interfaces and host name. Read at every check: cheap, and never stale.
 */
export function readPanelAddress(
  env: Record<string, string | undefined> = process.env,
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
  hostname: string = os.hostname(),
): PanelAddress {
  const machineAddresses = new Set<string>();
  for (const list of Object.values(interfaces)) {
    for (const i of list ?? []) {
      const canonical = canonicalIp(i.address);
      if (canonical) machineAddresses.add(canonical);
    }
  }
  const machineNames = new Set(["localhost", normalizeHostName(hostname)]);
  const ports = new Set<number>();
  if (Number(env.PORT) > 0) ports.add(Number(env.PORT));
  const origin = parseUrl(env.__NEXT_PRIVATE_ORIGIN);
  if (origin) ports.add(portOf(origin));
  const publishedAt = new Set<string>();
  const published = parseUrl(readPanelUrl(env));
  if (published) {
    const host = normalizeHostName(published.hostname);
    publishedAt.add(`${host}:${portOf(published)}`);
    // A PANEL_URL on this machine's own address is a listening port too (no proxy in front).
    const ip = canonicalIp(host);
    if (machineNames.has(host) || (ip && (isThisMachine(ip) || machineAddresses.has(ip)))) ports.add(portOf(published));
  }
  if (ports.size === 0) ports.add(DEFAULT_PORT);
  return { ports, machineAddresses, machineNames, publishedAt };
}
