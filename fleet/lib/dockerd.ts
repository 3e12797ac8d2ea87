/** Per-host dockerd inside the host's netns, with its own data/exec roots, socket and containerd. */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { dockerSocket, hostRunDir, hostStateDir } from "./paths.js";
import type { HostSpec } from "./hosts.js";
import {
  ensureDaemon,
  livePid,
  logFile,
  pidsWithCmdline,
  run,
  runOk,
  stopDaemon,
  stopPid,
  waitFor,
  type DaemonSpec,
  type RunOpts,
} from "./proc.js";
import { writeIfChanged } from "./state.js";
import { mountNsPath } from "./mountns.js";

const daemonId = (h: string) => `${h}.dockerd`;
export const dataRoot = (h: string) => path.join(hostStateDir(h), "docker");
export const execRoot = (h: string) => path.join(hostRunDir(h), "exec");

let storageDriver: string | null = null;
/** overlay2 unless the data root sits on overlayfs (nested containers): then vfs. */
async function pickStorageDriver(dir: string): Promise<string> {
  if (process.env.PXF_STORAGE_DRIVER) return process.env.PXF_STORAGE_DRIVER;
  if (storageDriver) return storageDriver;
  const fsType = (await run("stat", ["-f", "-c", "%T", dir])).stdout.trim();
  storageDriver = fsType === "overlayfs" ? "vfs" : "overlay2";
  return storageDriver;
}

function spec(h: HostSpec, driver: string): DaemonSpec {
  const run = hostRunDir(h.name);
  // Host-network hosts run every container in the host's namespace; bridge hosts get Docker's default
  // bridge and iptables (in their own namespace), so -p publishes and bypasses a firewall as on a VPS.
  const networking = h.docker === "bridge" ? [] : ["--bridge", "none", "--iptables=false", "--ip6tables=false", "--ip-masq=false"];
  return {
    id: daemonId(h.name),
    cmd: "/usr/sbin/dockerd",
    netns: h.netns,
    mountns: h.privateSrv ? mountNsPath(h) : undefined,
    token: dockerSocket(h.name),
    stopOrder: 10,
    args: [
      "--host",
      `unix://${dockerSocket(h.name)}`,
      "--data-root",
      dataRoot(h.name),
      "--exec-root",
      execRoot(h.name),
      "--pidfile",
      path.join(run, "docker.pid"),
      "--config-file",
      path.join(hostStateDir(h.name), "daemon.json"),
      "--storage-driver",
      driver,
      ...networking,
      "--log-driver",
      "json-file",
      "--log-opt",
      "max-size=10m",
      "--log-opt",
      "max-file=3",
    ],
  };
}

/** GET /_ping on a docker socket. */
export function dockerPing(socketPath: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ socketPath, path: "/_ping", method: "GET", timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
    });
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}

export async function ensureDockerd(h: HostSpec): Promise<void> {
  if (h.docker === "none") return;
  fs.mkdirSync(dataRoot(h.name), { recursive: true, mode: 0o710 });
  fs.mkdirSync(hostRunDir(h.name), { recursive: true });
  writeIfChanged(path.join(hostStateDir(h.name), "daemon.json"), "{}\n");
  const id = daemonId(h.name);
  if (!livePid(id)) {
    // crash leftovers: a stale socket or pid file would make dockerd refuse to start
    await killLeftovers(h);
    fs.rmSync(dockerSocket(h.name), { force: true });
    fs.rmSync(path.join(hostRunDir(h.name), "docker.pid"), { force: true });
    // dockerd trusts exec/containerd/containerd.pid: after a machine restart its pid can belong to an
    // unrelated live process, and dockerd then waits for a containerd that never comes (60 s timeout).
    fs.rmSync(path.join(execRoot(h.name), "containerd", "containerd.pid"), { force: true });
  }
  if (ensureDaemon(spec(h, await pickStorageDriver(dataRoot(h.name))))) {
    await waitFor(
      `dockerd on host ${h.name} (${dockerSocket(h.name)} /_ping)`,
      () => dockerPing(dockerSocket(h.name)),
      60_000,
      logFile(id),
    );
  }
}

/** containerd / shims left behind by a dockerd of this host that died (they name our paths). */
async function killLeftovers(h: HostSpec): Promise<void> {
  for (const needle of [execRoot(h.name), dataRoot(h.name)]) {
    for (const pid of pidsWithCmdline(needle)) await stopPid(pid, needle, 3000);
  }
}

export async function stopDockerd(h: { name: string }): Promise<void> {
  await stopDaemon(daemonId(h.name), 30_000);
  await killLeftovers(h as HostSpec);
  // unmount anything left under the exec/data roots (overlay mounts, netns/shm of containers)
  const mounts = fs
    .readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[1])
    .filter((m): m is string => Boolean(m));
  for (const m of mounts.reverse()) {
    const ours = [execRoot(h.name), dataRoot(h.name)].some((r) => m === r || m.startsWith(r + "/"));
    if (ours) await run("umount", ["-l", m]);
  }
}

export const dockerdRunning = (name: string) => livePid(daemonId(name)) !== null;

/** Run the docker CLI against a host's daemon. */
export function docker(h: { name: string }, args: string[], opts: RunOpts = {}) {
  return run("docker", ["-H", `unix://${dockerSocket(h.name)}`, ...args], opts);
}
export function dockerOk(h: { name: string }, args: string[], opts: RunOpts = {}) {
  return runOk("docker", ["-H", `unix://${dockerSocket(h.name)}`, ...args], opts);
}
