/** Child processes: one-shot commands, detached daemons tracked by pid files, readiness waits. */
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { LOG_DIR, PID_DIR, netnsPath } from "./paths.js";

export const log = (msg: string) => process.stderr.write(`fleet: ${msg}\n`);

export interface RunOpts {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  netns?: string;
  timeoutMs?: number;
  cwd?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command with an argument array; never throws, returns the exit code. */
export function run(cmd: string, args: string[], opts: RunOpts = {}): Promise<RunResult> {
  if (opts.netns) {
    args = [`--net=${netnsPath(opts.netns)}`, "--", cmd, ...args];
    cmd = "nsenter";
  }
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      {
        env: opts.env ?? process.env,
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 0,
        maxBuffer: 64 * 1024 * 1024,
        encoding: "utf8",
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) || (err && code !== 0 ? String(err.message) : "") });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Run and throw a readable error on a non-zero exit. */
export async function runOk(cmd: string, args: string[], opts: RunOpts = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(`${cmd} ${args.slice(0, 6).join(" ")}… failed (exit ${r.code}): ${r.stderr.trim().slice(-1500)}`);
  }
  return r.stdout;
}

/** Run with stdout/stderr streamed to a log file (long builds). */
export function runLogged(
  cmd: string,
  args: string[],
  logFile: string,
  opts: { stdinFile?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<void> {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, "a");
  const inp = opts.stdinFile ? fs.openSync(opts.stdinFile, "r") : "ignore";
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [inp, out, out], env: opts.env ?? process.env, cwd: opts.cwd });
    child.on("error", reject);
    child.on("exit", (code) => {
      fs.closeSync(out);
      if (typeof inp === "number") fs.closeSync(inp);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.slice(0, 4).join(" ")}… failed (exit ${code}); see ${logFile}`));
    });
  });
}

// ---- tracked daemons -------------------------------------------------------------------------

export interface DaemonSpec {
  /** unique id, also the pid/log file name, e.g. "app.sshd" */
  id: string;
  cmd: string;
  args: string[];
  netns?: string;
  /** a mount namespace file to enter too (hosts with a /srv of their own) */
  mountns?: string;
  /** a string that must appear in /proc/PID/cmdline for the pid to count as ours */
  token: string;
  /** stop order: lower stops first */
  stopOrder?: number;
}

interface PidRecord {
  pid: number;
  token: string;
  stopOrder: number;
  cmd: string;
}

export const pidFile = (id: string) => path.join(PID_DIR, `${id}.pid`);
export const logFile = (id: string) => path.join(LOG_DIR, `${id}.log`);

function readCmdline(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X") return null;
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return null;
  }
}

export function readPidRecord(id: string): PidRecord | null {
  try {
    return JSON.parse(fs.readFileSync(pidFile(id), "utf8")) as PidRecord;
  } catch {
    return null;
  }
}

/** pid of a live daemon we started, or null (a stale pid file is removed). */
export function livePid(id: string): number | null {
  const rec = readPidRecord(id);
  if (!rec) return null;
  const cmdline = readCmdline(rec.pid);
  if (cmdline && cmdline.includes(rec.token)) return rec.pid;
  fs.rmSync(pidFile(id), { force: true });
  return null;
}

export function startDaemon(spec: DaemonSpec): number {
  fs.mkdirSync(PID_DIR, { recursive: true });
  fs.mkdirSync(LOG_DIR, { recursive: true });
  let cmd = spec.cmd,
    args = spec.args;
  if (spec.netns || spec.mountns) {
    const ns = [...(spec.mountns ? [`--mount=${spec.mountns}`] : []), ...(spec.netns ? [`--net=${netnsPath(spec.netns)}`] : [])];
    args = [...ns, "--", cmd, ...args];
    cmd = "nsenter";
  }
  const out = fs.openSync(logFile(spec.id), "a");
  fs.writeSync(out, `\n==== ${new Date().toISOString()} fleet starting: ${spec.cmd} ${spec.args.join(" ")}\n`);
  const child = spawn(cmd, args, { detached: true, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  if (!child.pid) throw new Error(`could not start ${spec.id} (${spec.cmd})`);
  child.on("error", () => undefined);
  child.unref();
  const rec: PidRecord = { pid: child.pid, token: spec.token, stopOrder: spec.stopOrder ?? 50, cmd: spec.cmd };
  fs.writeFileSync(pidFile(spec.id), JSON.stringify(rec) + "\n");
  return child.pid;
}

/** Start unless already running; returns true when it was started now. */
export function ensureDaemon(spec: DaemonSpec): boolean {
  if (livePid(spec.id)) return false;
  startDaemon(spec);
  return true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export { sleep };

export async function stopPid(pid: number, token: string, graceMs: number): Promise<void> {
  const alive = () => {
    const c = readCmdline(pid);
    return !!c && c.includes(token);
  };
  if (!alive()) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    if (!alive()) return;
    await sleep(100);
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    /* gone */
  }
  for (let i = 0; i < 30 && alive(); i++) await sleep(100);
}

export async function stopDaemon(id: string, graceMs = 10_000): Promise<boolean> {
  const rec = readPidRecord(id);
  if (!rec) return false;
  await stopPid(rec.pid, rec.token, graceMs);
  fs.rmSync(pidFile(id), { force: true });
  return true;
}

/** All pid files present (ids), e.g. for `down`. */
export function trackedIds(): { id: string; rec: PidRecord }[] {
  if (!fs.existsSync(PID_DIR)) return [];
  return fs
    .readdirSync(PID_DIR)
    .filter((f) => f.endsWith(".pid"))
    .flatMap((f) => {
      const id = f.slice(0, -4);
      const rec = readPidRecord(id);
      return rec ? [{ id, rec }] : [];
    });
}

/** Pids of processes whose cmdline contains `needle` (used to find leftovers of our own daemons). */
export function pidsWithCmdline(needle: string): number[] {
  return fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      if (pid === process.pid) return false;
      const c = readCmdline(pid);
      return !!c && c.includes(needle);
    });
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, hint: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < until) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    await sleep(250);
  }
  const why = last instanceof Error ? ` (last error: ${last.message})` : "";
  throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}${why}; see ${hint}`);
}
