/**
 * A mount namespace per host whose /srv (and /etc/sysctl.d, /etc/ufw, /etc/ssh/sshd_config) is the host's own, so hosts that
 * stand for separate VPSs do not share /srv/pixelfox, /srv/mysql… (the core hosts share the machine's, as before). The
 * namespace is kept alive by a bind mount of its ns file; sshd and dockerd of the host enter it, so
 * a shell over SSH and the containers' bind mounts both see the host's /srv.
 */
import fs from "node:fs";
import path from "node:path";
import { RUN_DIR, hostStateDir } from "./paths.js";
import type { HostSpec } from "./hosts.js";
import { run, runOk } from "./proc.js";
import { ufwBinds } from "./firewall.js";

const NS_DIR = path.join(RUN_DIR, "mntns");
export const mountNsPath = (h: { name: string }) => path.join(NS_DIR, h.name);
export const hostSrvDir = (h: { name: string }) => path.join(hostStateDir(h.name), "srv");
/** The host's own /etc/sysctl.d (what the panel persists there must not land in this machine's /etc). */
export const hostSysctlDir = (h: { name: string }) => path.join(hostStateDir(h.name), "sysctl.d");

/** Bind-mounting ns files needs a mount point with private propagation. */
async function ensureNsDir(): Promise<void> {
  fs.mkdirSync(NS_DIR, { recursive: true });
  const mounts = fs.readFileSync("/proc/self/mountinfo", "utf8");
  if (!mounts.split("\n").some((l) => l.split(" ")[4] === NS_DIR)) {
    await runOk("mount", ["--bind", NS_DIR, NS_DIR]);
  }
  await runOk("mount", ["--make-private", NS_DIR]);
}

const nsAlive = async (file: string) => (await run("nsenter", [`--mount=${file}`, "true"])).code === 0;

export async function ensureMountNs(h: HostSpec): Promise<void> {
  if (!h.privateSrv) return;
  await ensureNsDir();
  const file = mountNsPath(h);
  const srv = hostSrvDir(h);
  fs.mkdirSync(srv, { recursive: true });
  fs.mkdirSync("/srv", { recursive: true });
  if (!(fs.existsSync(file) && (await nsAlive(file)))) {
    await run("umount", [file]);
    fs.writeFileSync(file, "");
    await runOk("unshare", [`--mount=${file}`, "--propagation", "private", "true"]);
  }
  // /srv and /etc/sysctl.d inside are the host's own directories (checked by inode, so a re-run does not stack binds).
  const sysctl = hostSysctlDir(h);
  fs.mkdirSync(sysctl, { recursive: true });
  fs.mkdirSync("/etc/sysctl.d", { recursive: true });
  // …and so are its ufw files: a firewall enabled on one host is not enabled on another.
  for (const [own, at] of [[srv, "/srv"], [sysctl, "/etc/sysctl.d"], ...ufwBinds(h)] as const) {
    const inside = await runOk("nsenter", [`--mount=${file}`, "stat", "-c", "%d:%i", at]);
    const want = await runOk("stat", ["-c", "%d:%i", own]);
    if (inside.trim() !== want.trim()) await runOk("nsenter", [`--mount=${file}`, "mount", "--bind", own, at]);
  }
}

/** Binds `own` (a file or directory) at `at` inside the host's mount namespace, unless it is already there. */
export async function bindInHost(h: HostSpec, own: string, at: string): Promise<void> {
  if (!h.privateSrv) return;
  const file = mountNsPath(h);
  const inside = await runOk("nsenter", [`--mount=${file}`, "stat", "-c", "%d:%i", at]);
  const want = await runOk("stat", ["-c", "%d:%i", own]);
  if (inside.trim() !== want.trim()) await runOk("nsenter", [`--mount=${file}`, "mount", "--bind", own, at]);
}

export async function removeMountNs(h: { name: string }): Promise<void> {
  const file = mountNsPath(h);
  if (fs.existsSync(file)) {
    await run("umount", ["-l", file]);
    fs.rmSync(file, { force: true });
  }
}

/** Run a command on a host as its processes see the filesystem (for the fleet's own setup). */
export function inHostMounts(h: HostSpec, cmd: string, args: string[]) {
  return h.privateSrv ? runOk("nsenter", [`--mount=${mountNsPath(h)}`, cmd, ...args]) : runOk(cmd, args);
}
