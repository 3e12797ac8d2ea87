import fs from "node:fs";
import { dockerApi, fleetHost, onHost } from "./fleet";

// Did anything the injection corpus carries (e2e/support/hostile-strings.ts) run? Its commands create
// `/tmp/<marker>` or keep the marker on a command line, so: look for those files on this machine, on
// each fleet host (over SSH, as the panel reaches them) and in each of their containers (through the
// Docker API, which needs no shell in the image), and for those command lines in every process.

const FLEET_HOSTS = ["app", "db", "cache"];

/** Processes of this machine whose command line holds `needle` (the fleet's hosts and containers are processes here too). */
function localProcesses(needle: string): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      if (cmdline.includes(needle) && Number(pid) !== process.pid) out.push(`this machine: process ${pid}: ${cmdline.slice(0, 200)}`);
    } catch {
      // The process ended while the list was read.
    }
  }
  return out;
}

function localFiles(prefix: string): string[] {
  return fs
    .readdirSync("/tmp")
    .filter((f) => f.startsWith(prefix))
    .map((f) => `this machine: /tmp/${f}`);
}

/** Over SSH, as root: the files and command lines a host itself sees (`[p]` keeps this very command out of its own list). */
function hostTraces(host: string, prefix: string): string[] {
  const pattern = `[${prefix[0]}]${prefix.slice(1)}`;
  const script = `for f in /tmp/${pattern}*; do [ -e "$f" ] && echo "$f"; done; for p in /proc/[0-9]*; do c=$(tr '\\0' ' ' < $p/cmdline 2>/dev/null); case "$c" in *${pattern}*) echo "process \${p#/proc/}: $c";; esac; done; true`;
  return onHost(host, ["sh", "-c", script])
    .split("\n")
    .filter(Boolean)
    .map((line) => `${host}: ${line}`);
}

/** In each container of the host: does any of this run's marker files exist? (The Docker API's archive stat: 404 when not.) */
async function containerTraces(host: string, markers: string[]): Promise<string[]> {
  const socket = fleetHost(host).dockerSocket;
  const { body: containers } = await dockerApi<{ Id: string; Names: string[] }[]>(socket, "GET", "/containers/json");
  const out: string[] = [];
  for (const c of containers) {
    for (const marker of markers) {
      const { status } = await dockerApi(socket, "HEAD", `/containers/${c.Id}/archive?path=${encodeURIComponent(`/tmp/${marker}`)}`);
      if (status === 200) out.push(`${host}: container ${c.Names[0]?.slice(1)}: /tmp/${marker}`);
      else if (status !== 404)
        out.push(`${host}: container ${c.Names[0]?.slice(1)}: could not check /tmp/${marker} (Docker answered ${status})`);
    }
  }
  return out;
}

/**
 * Traces of the corpus: `/tmp/<prefix>*` files and command lines holding `<prefix>`, on this machine
 * and on each fleet host, and this run's marker files inside each container. `traces` are this run's
 * (a file named by one of `markers`, or any such process); `leftovers` are files of an earlier run.
 */
export async function findInjectionTraces(prefix: string, markers: string[]): Promise<{ traces: string[]; leftovers: string[] }> {
  const found = [...localFiles(prefix), ...localProcesses(prefix)];
  for (const host of FLEET_HOSTS) {
    found.push(...hostTraces(host, prefix));
    found.push(...(await containerTraces(host, markers)));
  }
  const unique = [...new Set(found)];
  const isThisRun = (t: string) => t.includes("process ") || t.includes("container ") || markers.some((m) => t.endsWith(`/tmp/${m}`));
  return { traces: unique.filter(isThisRun), leftovers: unique.filter((t) => !isThisRun(t)) };
}
