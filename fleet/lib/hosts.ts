/** The fleet's hosts as data. Add a host here (or via extras) and `up` creates it. */
import fs from "node:fs";
import path from "node:path";
import { STATE_DIR } from "./paths.js";

export type Role = "app" | "proxy" | "db" | "cache";

/** Which part of the fleet a host belongs to (what `panel fleet import` registers, and how). */
export type HostGroup = "core" | "extra" | "plan" | "bare";

export interface HostSpec {
  /** short name, also used in paths: /var/lib/pixelfox-fleet/<name>, /run/pixelfox-fleet/<name> */
  name: string;
  /** network namespace name (pxf-<name>) */
  netns: string;
  /** address on the pxf0 bridge (10.213.77.0/24) */
  address: string;
  roles: Role[];
  /** containers the fleet creates on this host (names) */
  containers: string[];
  /** plain host (sshd + dockerd only), e.g. extra hosts for benchmarks */
  plain?: boolean;
  group: HostGroup;
  /**
   * How the host's dockerd networks containers: "host-network" (no bridge, no iptables: every
   * container on the host's network, as the core stack runs) or "bridge" (Docker's default bridge and
   * its own iptables in the host's namespace, so published ports behave as on a VPS and bypass a
   * firewall); "none" runs no dockerd at all (a host without Docker).
   */
  docker: "host-network" | "bridge" | "none";
  /** A /srv of its own (mount namespace shared by its sshd and dockerd), like a separate VPS's disk. */
  privateSrv?: boolean;
  /** sshd accepts passwords (a plan host's planted fault). */
  sshPasswordAuth?: boolean;
  /** The stack the plan-laid hosts belong to. */
  stack?: "plan" | "plannx";
}

export const CORE_HOSTS: HostSpec[] = [
  {
    name: "app",
    netns: "pxf-app",
    address: "10.213.77.11",
    roles: ["app", "proxy"],
    containers: ["pxlfox-app", "pxlfox-proxy"],
    group: "core",
    docker: "host-network",
  },
  { name: "db", netns: "pxf-db", address: "10.213.77.12", roles: ["db"], containers: ["pxlfox-db"], group: "core", docker: "host-network" },
  {
    name: "cache",
    netns: "pxf-cache",
    address: "10.213.77.13",
    roles: ["cache"],
    containers: ["pxlfox-cache"],
    group: "core",
    docker: "host-network",
  },
];

const planHost = (name: string, address: string, roles: Role[], containers: string[], stack: "plan" | "plannx"): HostSpec => ({
  name,
  netns: `pxf-${name}`,
  address,
  roles,
  containers,
  group: "plan",
  docker: "bridge",
  privateSrv: true,
  stack,
});

/**
 * Stacks laid out by the go-live plan's templates: the app on Docker's bridge publishing
 * 127.0.0.1:4000, the db and cache publishing on every interface, Caddy from a Caddyfile (plan) or
 * Nginx (plannx, which shares plan's db and cache servers with a database of its own).
 */
export const PLAN_HOSTS: HostSpec[] = [
  planHost("plan-app", "10.213.77.21", ["app", "proxy"], ["pxlfox-app", "pxlfox-proxy"], "plan"),
  { ...planHost("plan-db", "10.213.77.22", ["db"], ["pxlfox-db"], "plan"), sshPasswordAuth: true },
  planHost("plan-cache", "10.213.77.23", ["cache"], ["pxlfox-cache"], "plan"),
  planHost("plannx-app", "10.213.77.24", ["app", "proxy"], ["pxlfox-app", "pxlfox-proxy"], "plannx"),
];

export const MAX_BARE = 8;
const BARE_FILE = path.join(STATE_DIR, "bare.json");
export const DEFAULT_BARE = 4;

/** Bare VPSs for provisioning: sshd and Docker (bridge, iptables), nothing else; "bare-nodocker" has no Docker. */
export function bareHost(i: number): HostSpec {
  return {
    name: `bare${i + 1}`,
    netns: `pxf-bare${i + 1}`,
    address: `10.213.77.${31 + i}`,
    roles: [],
    containers: [],
    group: "bare",
    docker: "bridge",
    privateSrv: true,
  };
}
export const NO_DOCKER_HOST: HostSpec = {
  name: "bare-nodocker",
  netns: "pxf-bare-nodocker",
  address: "10.213.77.49",
  roles: [],
  containers: [],
  group: "bare",
  docker: "none",
  privateSrv: true,
};

export function readBareCount(): number {
  try {
    const n = Number(JSON.parse(fs.readFileSync(BARE_FILE, "utf8")).count);
    return Number.isInteger(n) ? n : DEFAULT_BARE;
  } catch {
    return DEFAULT_BARE;
  }
}

export function writeBareCount(n: number): void {
  fs.mkdirSync(STATE_DIR, { recursive: true });
  fs.writeFileSync(BARE_FILE, JSON.stringify({ count: n }) + "\n");
}

export const bareHosts = (count = readBareCount()): HostSpec[] => [...Array.from({ length: count }, (_, i) => bareHost(i)), NO_DOCKER_HOST];

export const MAX_EXTRA = 150;
const EXTRAS_FILE = path.join(STATE_DIR, "extras.json");

export function extraHost(i: number): HostSpec {
  const n = 100 + i;
  return {
    name: `x${n}`,
    netns: `pxf-x${n}`,
    address: `10.213.77.${n}`,
    roles: [],
    containers: [],
    plain: true,
    group: "extra",
    docker: "host-network",
  };
}

export function readExtraCount(): number {
  try {
    return Number(JSON.parse(fs.readFileSync(EXTRAS_FILE, "utf8")).count) || 0;
  } catch {
    return 0;
  }
}

export function writeExtraCount(n: number): void {
  fs.mkdirSync(STATE_DIR, { recursive: true });
  fs.writeFileSync(EXTRAS_FILE, JSON.stringify({ count: n }) + "\n");
}

/** Every host of the fleet as currently configured (core, plan stacks, bare hosts, recorded extras). */
export function allHosts(extraCount = readExtraCount(), bareCount = readBareCount()): HostSpec[] {
  return [...CORE_HOSTS, ...PLAN_HOSTS, ...bareHosts(bareCount), ...Array.from({ length: extraCount }, (_, i) => extraHost(i))];
}

export function hostByName(name: string): HostSpec {
  const h = allHosts().find((x) => x.name === name);
  if (!h)
    throw new Error(
      `unknown fleet host "${name}" (known: ${allHosts()
        .map((x) => x.name)
        .join(", ")})`,
    );
  return h;
}

export const hostWithRole = (role: Role): HostSpec => CORE_HOSTS.find((h) => h.roles.includes(role))!;
export const planHostByName = (name: string): HostSpec => PLAN_HOSTS.find((h) => h.name === name)!;
