/**
 * A mount namespace per host whose /srv is the host's own directory, so hosts that stand for separate
 * VPSs do not share /srv/pixelfox, /srv/mysql… (the core hosts share the machine's, as before). The
 * namespace is kept alive by a bind mount of its ns file; sshd and dockerd of the host enter it, so
 * a shell over SSH and the containers' bind mounts both see the host's /srv.
 */
import fs from "node:fs";
import path from "node:path";
import { RUN_DIR, hostStateDir } from "./paths.js";
import type { HostSpec } from "./hosts.js";
import { run, runOk } from "./proc.js";

const NS_DIR = path.join(RUN_DIR, "mntns");
export const mountNsPath = (h: { name: string }) => path.join(NS_DIR, h.name);
export const hostSrvDir = (h: { name: string }) => path.join(hostStateDir(h.name), "srv");

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
  // /srv inside is the host's own directory (checked by inode, so a re-run does not stack binds).
  const inside = await runOk("nsenter", [`--mount=${file}`, "stat", "-c", "%d:%i", "/srv"]);
  const want = await runOk("stat", ["-c", "%d:%i", srv]);
  if (inside.trim() !== want.trim()) await runOk("nsenter", [`--mount=${file}`, "mount", "--bind", srv, "/srv"]);
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
