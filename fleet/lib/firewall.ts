/**
 * The plan-laid hosts' firewalls, as an operator who followed the plan's Security Baseline halfway has
 * them: ufw on the app hosts (22/80/443) and on the db host (22, 3306 only from the app hosts), and no
 * firewall on the cache host. Each plan host has its own /etc/ufw and /etc/default/ufw (bind-mounted in
 * its mount namespace), so enabling ufw on one never shows on another or on this machine.
 * (What the db still gets wrong, as in the facts: Docker publishes 3306 on every interface, past ufw.)
 */
import fs from "node:fs";
import path from "node:path";
import { hostStateDir } from "./paths.js";
import type { HostSpec } from "./hosts.js";
import { mountNsPath } from "./mountns.js";
import { netnsPath } from "./paths.js";
import { log, run, runOk } from "./proc.js";

export const hostUfwDir = (h: { name: string }) => path.join(hostStateDir(h.name), "ufw");
export const hostUfwDefaults = (h: { name: string }) => path.join(hostStateDir(h.name), "default-ufw");
export const ufwInstalled = () => fs.existsSync("/usr/sbin/ufw") && fs.existsSync("/usr/share/ufw/ufw.conf");

const PRISTINE = [
  "after.init",
  "after.rules",
  "after6.rules",
  "before.init",
  "before.rules",
  "before6.rules",
  "ufw.conf",
  "user.rules",
  "user6.rules",
];

/** The host's ufw files as the package installs them (ENABLED=no, no user rules). */
export function writePristineUfw(h: { name: string }): void {
  const dir = hostUfwDir(h);
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  for (const f of PRISTINE) fs.copyFileSync(path.join("/usr/share/ufw", f), path.join(dir, f));
  for (const f of ["sysctl.conf", "applications.d"])
    if (fs.existsSync(path.join("/etc/ufw", f))) fs.cpSync(path.join("/etc/ufw", f), path.join(dir, f), { recursive: true });
  for (const f of ["before.init", "after.init"]) fs.chmodSync(path.join(dir, f), 0o750);
  fs.copyFileSync("/etc/default/ufw", hostUfwDefaults(h));
}

/** The binds ensureMountNs makes for a plan host (own → where the host sees it). */
export function ufwBinds(h: { name: string }): [string, string][] {
  if (!ufwInstalled()) return [];
  if (!fs.existsSync(path.join(hostUfwDir(h), "ufw.conf"))) writePristineUfw(h);
  return [
    [hostUfwDir(h), "/etc/ufw"],
    [hostUfwDefaults(h), "/etc/default/ufw"],
  ];
}

/** `ufw …` on the host, inside its network and mount namespaces. */
export function ufwOn(h: HostSpec, args: string[]) {
  return runOk("nsenter", [`--net=${netnsPath(h.netns)}`, `--mount=${mountNsPath(h)}`, "ufw", ...args]);
}

/** The rules each plan host gets; null: no firewall at all (the planted fault). */
export function planFirewallRules(h: HostSpec, appAddresses: readonly string[]): string[][] | null {
  if (h.roles.includes("cache")) return null;
  if (h.roles.includes("db"))
    return [["allow", "22/tcp"], ...appAddresses.map((a) => ["allow", "from", a, "to", "any", "port", "3306", "proto", "tcp"])];
  return [
    ["allow", "22/tcp"],
    ["allow", "80/tcp"],
    ["allow", "443/tcp"],
  ];
}

/** Turns ufw off on the host, puts its files back as installed, and empties Docker's DOCKER-USER chain. */
export async function resetUfw(h: HostSpec): Promise<void> {
  // A fix made by hand (DOCKER-USER filters, as the audit suggests) goes too; Docker keeps its RETURN.
  const ns = [`--net=${netnsPath(h.netns)}`];
  if ((await run("nsenter", [...ns, "iptables", "-L", "DOCKER-USER", "-n"])).code === 0) {
    await run("nsenter", [...ns, "iptables", "-F", "DOCKER-USER"]);
    await run("nsenter", [...ns, "iptables", "-A", "DOCKER-USER", "-j", "RETURN"]);
  }
  if (!ufwInstalled()) return;
  await run("nsenter", [`--net=${netnsPath(h.netns)}`, `--mount=${mountNsPath(h)}`, "ufw", "--force", "disable"]);
  writePristineUfw(h);
}

/** ufw as planFirewallRules says (idempotent: ufw skips a rule it has). */
export async function ensurePlanFirewall(h: HostSpec, appAddresses: readonly string[]): Promise<void> {
  if (!ufwInstalled()) {
    log(`plan: ufw is not installed: ${h.name} has no firewall`);
    return;
  }
  const rules = planFirewallRules(h, appAddresses);
  if (!rules) return;
  await ufwOn(h, ["default", "deny", "incoming"]);
  for (const r of rules) await ufwOn(h, r);
  await ufwOn(h, ["--force", "enable"]);
}
