/** The fleet's hosts as data. Add a host here (or via extras) and `up` creates it. */
import fs from "node:fs";
import path from "node:path";
import { STATE_DIR } from "./paths.js";

export type Role = "app" | "proxy" | "db" | "cache";

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
}

export const CORE_HOSTS: HostSpec[] = [
  { name: "app", netns: "pxf-app", address: "10.213.77.11", roles: ["app", "proxy"], containers: ["pxlfox-app", "pxlfox-proxy"] },
  { name: "db", netns: "pxf-db", address: "10.213.77.12", roles: ["db"], containers: ["pxlfox-db"] },
  { name: "cache", netns: "pxf-cache", address: "10.213.77.13", roles: ["cache"], containers: ["pxlfox-cache"] },
];

export const MAX_EXTRA = 150;
const EXTRAS_FILE = path.join(STATE_DIR, "extras.json");

export function extraHost(i: number): HostSpec {
  const n = 100 + i;
  return { name: `x${n}`, netns: `pxf-x${n}`, address: `10.213.77.${n}`, roles: [], containers: [], plain: true };
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

/** Every host of the fleet as currently configured (core + recorded extras). */
export function allHosts(extraCount = readExtraCount()): HostSpec[] {
  return [...CORE_HOSTS, ...Array.from({ length: extraCount }, (_, i) => extraHost(i))];
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
