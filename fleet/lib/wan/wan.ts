/**
 * A WAN between the panel and every fleet host: a user-space link emulator (this kernel has tbf but no
 * netem) on the machine's side. An iptables nat rule in the machine's OUTPUT chain redirects each
 * host's SSH (and, on proxy hosts, HTTP) to the emulator's port for that host; the emulator adds the
 * delay each way and the bandwidth limit, and forwards from an address of its own, which the rule skips.
 * Processes inside the hosts' namespaces are not affected: only what crosses from the panel's side is.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { allHosts } from "../hosts.js";
import { BRIDGE, FLEET_DIR, PREFIX_LEN, STATE_DIR } from "../paths.js";
import { livePid, log, run, runOk, startDaemon, stopDaemon, waitFor } from "../proc.js";
import { readWanState, type WanConfig, type WanRoute, type WanState } from "./emulator.js";

const WAN_DIR = path.join(STATE_DIR, "wan");
const CONFIG_FILE = path.join(WAN_DIR, "config.json");
const STATE_FILE = path.join(WAN_DIR, "state.json");
const DAEMON_ID = "wan-emulator";
const CHAIN = "PXF-WAN";
/** The emulator's own source address on the fleet's bridge (the redirect skips it). */
export const WAN_BIND = "10.213.77.253";
// Below the kernel's ephemeral range (32768–60999): a fixed port in it can be taken at any moment by an outgoing
// connection's local port (CI lost a run on 127.0.0.1:41044: EADDRINUSE while the build and the tests ran).
const BASE_PORT = 24000;

export interface WanOptions {
  delayMs: number;
  rateBytesPerSec: number;
}

/** "40ms", "1.5s", "40" (ms) → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!m) throw new Error(`${flag}: expected a duration such as 40ms or 20s, got "${text}"`);
  return Math.round(Number(m[1]) * (m[2] === "s" ? 1000 : 1));
}

/** "20mbit", "512kbit", "1gbit" → bytes per second. */
export function parseRate(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(kbit|mbit|gbit)$/i.exec(text.trim());
  if (!m) throw new Error(`${flag}: expected a rate such as 20mbit or 512kbit, got "${text}"`);
  const bits = { kbit: 1e3, mbit: 1e6, gbit: 1e9 }[m[2]!.toLowerCase() as "kbit" | "mbit" | "gbit"];
  return Math.round((Number(m[1]) * bits) / 8);
}

/** Every host's SSH, and HTTP on the hosts that serve the public site, each with a port of its own. */
export function wanRoutes(): WanRoute[] {
  const routes: WanRoute[] = [];
  for (const h of allHosts()) {
    const octet = Number(h.address.split(".").pop());
    routes.push({ host: h.name, address: h.address, port: 22, listenPort: BASE_PORT + octet * 2 });
    if (h.roles.includes("proxy")) routes.push({ host: h.name, address: h.address, port: 80, listenPort: BASE_PORT + octet * 2 + 1 });
  }
  return routes;
}

const iptables = (args: string[]) => run("iptables", ["-w", "-t", "nat", ...args]);

async function removeRules(): Promise<void> {
  while ((await iptables(["-C", "OUTPUT", "-j", CHAIN])).code === 0) await iptables(["-D", "OUTPUT", "-j", CHAIN]);
  await iptables(["-F", CHAIN]);
  await iptables(["-X", CHAIN]);
}

/** Turns the WAN on (or re-shapes it): emulator daemon, its address, the redirect rules. */
export async function wanOn(opts: WanOptions): Promise<void> {
  fs.mkdirSync(WAN_DIR, { recursive: true });
  const routes = wanRoutes();
  const config: WanConfig = { ...opts, bindAddress: WAN_BIND, routes, stateFile: STATE_FILE };
  fs.writeFileSync(CONFIG_FILE, JSON.stringify(config, null, 2));
  if (!fs.existsSync(STATE_FILE)) fs.writeFileSync(STATE_FILE, JSON.stringify({ cut: {}, seq: 0 }));
  const addrs = await runOk("ip", ["-4", "-o", "addr", "show", "dev", BRIDGE]);
  if (!addrs.includes(` ${WAN_BIND}/`)) await runOk("ip", ["addr", "add", `${WAN_BIND}/${PREFIX_LEN}`, "dev", BRIDGE]);
  await stopDaemon(DAEMON_ID, 5000);
  startDaemon({
    id: DAEMON_ID,
    cmd: process.execPath,
    args: ["--import", "tsx", path.join(FLEET_DIR, "lib/wan/emulator-main.ts"), CONFIG_FILE],
    token: "emulator-main",
    stopOrder: 5,
  });
  await waitFor(
    "the WAN emulator",
    () => listening(routes[0]!.listenPort),
    15_000,
    `see ${path.join(STATE_DIR, "logs", DAEMON_ID + ".log")}`,
  );
  await removeRules();
  await runOk("iptables", ["-w", "-t", "nat", "-N", CHAIN]);
  for (const r of routes)
    await runOk("iptables", [
      "-w", "-t", "nat", "-A", CHAIN, "-d", r.address, "-p", "tcp", "--dport", String(r.port),
      "!", "-s", WAN_BIND, "-j", "REDIRECT", "--to-ports", String(r.listenPort),
    ]); // prettier-ignore
  await runOk("iptables", ["-w", "-t", "nat", "-A", "OUTPUT", "-j", CHAIN]);
  log(
    `wan: on, ${opts.delayMs} ms each way, ${opts.rateBytesPerSec ? `${((opts.rateBytesPerSec * 8) / 1e6).toFixed(1)} Mbit/s` : "no rate limit"}, ${routes.length} routes`,
  );
}

/** Turns it off: the panel reaches the hosts directly again. */
export async function wanOff(): Promise<boolean> {
  const wasOn = Boolean(livePid(DAEMON_ID)) || (await iptables(["-C", "OUTPUT", "-j", CHAIN])).code === 0;
  await removeRules();
  await stopDaemon(DAEMON_ID, 5000);
  await run("ip", ["addr", "del", `${WAN_BIND}/${PREFIX_LEN}`, "dev", BRIDGE]);
  if (wasOn) log("wan: off, the hosts are reached directly");
  return wasOn;
}

export function wanStatus(): { on: boolean; delayMs: number; rateBytesPerSec: number; cut: WanState["cut"] } {
  const on = Boolean(livePid(DAEMON_ID));
  let config: Partial<WanConfig> = {};
  try {
    config = JSON.parse(fs.readFileSync(CONFIG_FILE, "utf8")) as WanConfig;
  } catch {
    /* never turned on */
  }
  return {
    on,
    delayMs: config.delayMs ?? 0,
    rateBytesPerSec: config.rateBytesPerSec ?? 0,
    cut: on ? stillCut(readWanState(STATE_FILE).cut) : {},
  };
}

/** The cuts in force now (a timed cut that ran out is over). */
const stillCut = (cut: WanState["cut"]) => Object.fromEntries(Object.entries(cut).filter(([, until]) => until === 0 || until > Date.now()));

/** Cuts one host's link (everything towards it stalls) for `forMs`, or until restored; resolves once the emulator applies it. */
export async function linkCut(host: string, forMs?: number): Promise<void> {
  if (!livePid(DAEMON_ID)) throw new Error("the WAN is off: `npm run fleet -- up --wan` first");
  if (!allHosts().some((h) => h.name === host)) throw new Error(`unknown fleet host "${host}"`);
  const state = readWanState(STATE_FILE);
  state.cut[host] = forMs ? Date.now() + forMs : 0;
  await applyState(state);
  log(`wan: ${host}'s link cut${forMs ? ` for ${forMs / 1000} s` : " until `link restore`"}`);
}

export async function linkRestore(host: string): Promise<void> {
  const state = readWanState(STATE_FILE);
  delete state.cut[host];
  await applyState(state);
  log(`wan: ${host}'s link restored`);
}

/** Writes the state (atomically) and waits until the emulator says it follows it. */
async function applyState(state: WanState): Promise<void> {
  const next = { ...state, seq: state.seq + 1 };
  const tmp = `${STATE_FILE}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(next));
  fs.renameSync(tmp, STATE_FILE);
  if (!livePid(DAEMON_ID)) return;
  const applied = () => {
    try {
      return Number(fs.readFileSync(`${STATE_FILE}.applied`, "utf8")) >= next.seq;
    } catch {
      return false;
    }
  };
  await waitFor("the WAN emulator to apply the link change", async () => applied(), 10_000, `see the ${DAEMON_ID} log`);
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

/** Time from connect to sshd's banner, from `localAddress` (WAN_BIND: around the emulator). */
async function bannerMs(address: string, localAddress: string | undefined): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const s = net.connect({ host: address, port: 22, ...(localAddress ? { localAddress } : {}) });
    s.once("data", () => (s.destroy(), resolve()));
    s.once("error", reject);
    s.setTimeout(10_000, () => (s.destroy(), reject(new Error(`no SSH banner from ${address} within 10 s`))));
  });
  return performance.now() - t0;
}

/**
 * The emulator's own overhead: connect → SSH banner to a host directly (around the emulator) and
 * through it, minus the delay it was asked to add (one way: the banner is the first byte back).
 */
export async function measureWanOverhead(
  host = "app",
  n = 15,
): Promise<{ directMs: number; throughMs: number; overheadMs: number; throughMinMs: number }> {
  const h = allHosts().find((x) => x.name === host);
  if (!h) throw new Error(`unknown fleet host "${host}"`);
  const { delayMs } = wanStatus();
  // Taken in turns, so a busy moment of the machine weighs on both alike.
  const direct: number[] = [];
  const through: number[] = [];
  for (let i = 0; i < n; i++) {
    direct.push(await bannerMs(h.address, WAN_BIND));
    through.push(await bannerMs(h.address, undefined));
  }
  const directMs = median(direct);
  const throughMs = median(through);
  // connect is answered by the emulator at once; the banner crosses the link once (delayMs).
  return { directMs, throughMs, overheadMs: throughMs - directMs - delayMs, throughMinMs: Math.min(...through) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
