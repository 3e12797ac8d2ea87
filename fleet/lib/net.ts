/** Bridge pxf0 in the root namespace, one netns per host with a veth into the bridge. */
import fs from "node:fs";
import { BRIDGE, BRIDGE_ADDR, PREFIX_LEN } from "./paths.js";
import type { HostSpec } from "./hosts.js";
import { run, runOk } from "./proc.js";

const linkExists = async (name: string, netns?: string) =>
  (await run("ip", [...(netns ? ["-n", netns] : []), "link", "show", name])).code === 0;

export async function ensureBridge(): Promise<void> {
  if (!(await linkExists(BRIDGE))) await runOk("ip", ["link", "add", BRIDGE, "type", "bridge"]);
  const addrs = await runOk("ip", ["-4", "-o", "addr", "show", "dev", BRIDGE]);
  if (!addrs.includes(`${BRIDGE_ADDR}/${PREFIX_LEN}`)) {
    await runOk("ip", ["addr", "add", `${BRIDGE_ADDR}/${PREFIX_LEN}`, "dev", BRIDGE]);
  }
  await runOk("ip", ["link", "set", BRIDGE, "up"]);
  // br_netfilter may send bridged frames through iptables FORWARD; make sure ours pass.
  if (fs.existsSync("/proc/sys/net/bridge/bridge-nf-call-iptables")) {
    const rule = ["FORWARD", "-i", BRIDGE, "-o", BRIDGE, "-j", "ACCEPT"];
    if ((await run("iptables", ["-C", ...rule])).code !== 0) await run("iptables", ["-I", ...rule]);
  }
}

export const vethName = (h: HostSpec) => `pxfv-${h.name}`.slice(0, 15);

export async function ensureHostNet(h: HostSpec): Promise<void> {
  const list = await runOk("ip", ["netns", "list"]);
  if (!list.split("\n").some((l) => l.split(" ")[0] === h.netns)) await runOk("ip", ["netns", "add", h.netns]);
  await runOk("ip", ["-n", h.netns, "link", "set", "lo", "up"]);
  const veth = vethName(h);
  if (!(await linkExists("eth0", h.netns))) {
    if (await linkExists(veth)) await runOk("ip", ["link", "del", veth]); // stale half
    await runOk("ip", ["link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", h.netns]);
  }
  await runOk("ip", ["link", "set", veth, "master", BRIDGE]);
  await runOk("ip", ["link", "set", veth, "up"]);
  const addrs = await runOk("ip", ["-n", h.netns, "-4", "-o", "addr", "show", "dev", "eth0"]);
  if (!addrs.includes(`${h.address}/${PREFIX_LEN}`)) {
    await runOk("ip", ["-n", h.netns, "addr", "add", `${h.address}/${PREFIX_LEN}`, "dev", "eth0"]);
  }
  // A MAC derived from the address: a host re-created later (e.g. `up --extra`) keeps its MAC, so the
  // other hosts' cached neighbour entries stay right (a random MAC made dials time out for seconds).
  const mac = macFor(h.address);
  const link = await runOk("ip", ["-n", h.netns, "-o", "link", "show", "dev", "eth0"]);
  if (!link.includes(mac)) await runOk("ip", ["-n", h.netns, "link", "set", "dev", "eth0", "address", mac]);
  await runOk("ip", ["-n", h.netns, "link", "set", "eth0", "up"]);
  await run("ip", ["-n", h.netns, "route", "replace", "default", "via", BRIDGE_ADDR]);
  // The core proxy host is one the panel already manages: Caddy's reloads move queued connections to
  // the new listener, as the panel sets it on the proxy hosts it provisions or adopts.
  if (h.group === "core" && h.roles.includes("proxy")) await setMigrateReq(h, 1);
}

/** net.ipv4.tcp_migrate_req in the host's network namespace (no-op on a kernel without it). */
export async function setMigrateReq(h: HostSpec, value: 0 | 1): Promise<void> {
  await run("ip", [
    "netns",
    "exec",
    h.netns,
    "sh",
    "-c",
    `[ ! -e /proc/sys/net/ipv4/tcp_migrate_req ] || echo ${value} > /proc/sys/net/ipv4/tcp_migrate_req`,
  ]);
}

/** 02:70:66 (locally administered) followed by the last three octets of the IPv4 address. */
export function macFor(address: string): string {
  const hex = address
    .split(".")
    .slice(1)
    .map((o) => Number(o).toString(16).padStart(2, "0"));
  return ["02", "70", "66", ...hex].join(":");
}

export async function removeHostNet(h: { netns: string; name: string }): Promise<void> {
  await run("ip", ["netns", "del", h.netns]);
  await run("ip", ["link", "del", `pxfv-${h.name}`.slice(0, 15)]);
}

/** Remove every pxf-* namespace and the bridge. */
export async function removeAllNet(): Promise<void> {
  const list = (await run("ip", ["netns", "list"])).stdout;
  for (const line of list.split("\n")) {
    const ns = line.split(" ")[0];
    if (ns && ns.startsWith("pxf-")) await run("ip", ["netns", "del", ns]);
  }
  await run("ip", ["link", "del", BRIDGE]);
  const rule = ["FORWARD", "-i", BRIDGE, "-o", BRIDGE, "-j", "ACCEPT"];
  if ((await run("iptables", ["-C", ...rule])).code === 0) await run("iptables", ["-D", ...rule]);
}
