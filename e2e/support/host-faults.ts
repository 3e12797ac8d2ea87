import fs from "node:fs";
import { ensureDockerd, stopDockerd } from "../../fleet/lib/dockerd";
import { hostByName } from "../../fleet/lib/hosts";
import { livePid } from "../../fleet/lib/proc";
import { startSshd } from "../../fleet/lib/sshd";

/** Every process below `root` (children, their children…), read from /proc. */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parentOf.set(Number(name), ppid);
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parentOf) {
      if (parent !== pid) continue;
      out.push(child);
      walk(child);
    }
  };

  walk(root);
  return out;
}

/**
 * Kills a fleet host's sshd with SIGKILL, the listener and every session process under it, as an
 * OOM kill or a crash would: every SSH connection to the host drops at once and new ones are refused.
 * Returns how many processes were killed.
 */
export function killSshd(host: string): number {
  const pid = livePid(`${host}.sshd`);
  if (!pid) throw new Error(`sshd of ${host} is not running`);
  const all = [pid, ...descendants(pid)];
  for (const p of all) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  return all.length;
}

/**
 * Kills every SSH session process of a fleet host (SIGKILL), leaving its listener up: every
 * connection to the host drops at once, as when a link dies for good, and new ones are accepted.
 * Returns how many were killed.
 */
export function dropSshSessions(host: string): number {
  const pid = livePid(`${host}.sshd`);
  if (!pid) throw new Error(`sshd of ${host} is not running`);
  const sessions = descendants(pid);
  for (const p of sessions) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  return sessions.length;
}

/** Starts the host's sshd again (its own config and host key) and waits until it answers. */
export async function restartSshd(host: string): Promise<void> {
  await startSshd(host);
}

/**
 * Restarts a fleet host's dockerd as `systemctl restart docker` would: the daemon stops its
 * containers, and on start brings back those with a restart policy.
 */
export async function restartDockerd(host: string): Promise<void> {
  const spec = hostByName(host);
  await stopDockerd(spec);
  await ensureDockerd(spec);
}
