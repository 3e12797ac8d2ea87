import { PassThrough, Writable } from "node:stream";
import { DockerFrameDemuxer, readContainerEnv, type DockerClient } from "@/server/adapters/docker";
import { AppError } from "@/server/errors";
import { redact } from "@/server/redact";
import { assertContainerRef } from "@/server/services/hosts/container-ref";
import type { OpenLogSource } from "./docker-log-source";

/** How to turn the slow query log on, shown when it is off. */
export const ENABLE_SLOW_LOG_HINT =
  "SET GLOBAL slow_query_log=1, long_query_time=1; (and slow_query_log=1 under [mysqld] in my.cnf to keep it after a restart)";

const QUERY_SQL = "SELECT @@slow_query_log, @@slow_query_log_file, @@datadir";
// Security: the file name comes from the server itself, but it still becomes an argument of tail:
// accept plain absolute paths only (no "..", no spaces or shell-significant characters).
const SAFE_PATH = /^\/[A-Za-z0-9._/-]{1,250}$/;
// Prints its PID so the panel can stop tail when the viewer leaves (an exec outlives its attach stream).
const TAIL_SCRIPT = 'echo "pxf-pid:$$"; exec tail "$@"';
const PID_LINE = /^pxf-pid:(\d+)\n/;

/** Where the server writes its slow query log, from `@@slow_query_log` and `@@slow_query_log_file`. */
export interface SlowLogLocation {
  isEnabled: boolean;
  file: string;
}

/** Parses the mariadb client's batch output (`-N -B`: one tab-separated row) into a validated location. */
export function parseSlowLogLocation(output: string, hostName: string): SlowLogLocation {
  const [enabled = "", rawFile = "", datadir = "/var/lib/mysql/"] = output.trim().split("\t");
  const file = rawFile.startsWith("/") ? rawFile : `${datadir.replace(/\/?$/, "/")}${rawFile}`;
  if (!SAFE_PATH.test(file) || file.split("/").includes("..")) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `The slow query log on ${hostName} is written to an unusual path (${JSON.stringify(file)}); set slow_query_log_file to a plain absolute path.`,
    );
  }
  return { isEnabled: enabled.trim() === "1" || enabled.trim().toUpperCase() === "ON", file };
}

/** The argv that asks the server where its slow log is, as `user` (the password goes in MYSQL_PWD). */
export function buildLocateArgv(user: string): string[] {
  return ["mariadb", `--user=${user}`, "-N", "-B", "-e", QUERY_SQL];
}

/** The argv that reads (and, with follow, keeps reading) the slow log; the path is an argument, never script text. */
export function buildTailArgv(file: string, tail: number | "all", follow: boolean): string[] {
  const count = tail === "all" ? "+1" : String(tail);
  return ["sh", "-c", TAIL_SCRIPT, "pxf-slowlog", "-n", count, ...(follow ? ["-F"] : []), file];
}

/**
 * Security: the panel asks with the app's own account (MYSQL_USER), never root: reading global system
 * variables needs no privilege beyond a login, and the file itself is read by `tail` in the container,
 * with no SQL account at all.
 */
async function locateSlowLog(docker: DockerClient, container: string): Promise<SlowLogLocation> {
  const { target } = docker;
  const env = await readContainerEnv(docker, container);
  const user = env.MYSQL_USER ?? env.MARIADB_USER;
  const password = env.MYSQL_PASSWORD ?? env.MARIADB_PASSWORD;
  if (!user || !password)
    throw new AppError(
      "PRECONDITION_FAILED",
      `The db container ${container} on ${target.name} has no MYSQL_USER/MYSQL_PASSWORD in its environment, so the panel cannot ask where the slow log is (it uses the app's own account for that, not root).`,
      { host: target.name },
    );
  let out = "";
  const sink = new Writable({
    write(c: Buffer, _e, cb) {
      out += c.toString("utf8");
      cb();
    },
  });
  // Security: the password travels as MYSQL_PWD in the exec environment, never in argv; the user name is one argv word.
  const result = await docker.exec(container, {
    cmd: buildLocateArgv(user),
    env: [`MYSQL_PWD=${password}`],
    stdout: sink,
    action: `ask ${container} where its slow query log is`,
    // Part of opening a log view: it waits for the log-stream channels, never an operation's.
    purpose: "stream",
  });
  if (result.exitCode !== 0)
    throw new AppError(
      "REMOTE_FAILED",
      `Could not ask ${container} on ${target.name} for its slow query log: ${redact(result.stderr.trim(), [password]) || `exit code ${result.exitCode}`}`,
      { host: target.name },
    );
  return parseSlowLogLocation(out, target.name);
}

/**
 * MySQL's slow query log inside the db container, read (and followed) with `tail` through a Docker
 * exec over the pooled SSH connection. Refuses with a clear message when the log is off. Closing
 * ends the exec's tail process too, not only the attach stream.
 */
export function createSlowLogOpener(docker: DockerClient, containerRef: string): OpenLogSource {
  const container = assertContainerRef(containerRef);
  const { target } = docker;
  return async (request) => {
    const location = await locateSlowLog(docker, container);
    if (!location.isEnabled)
      throw new AppError("PRECONDITION_FAILED", `The slow query log is off on ${target.name}: enable it with ${ENABLE_SLOW_LOG_HINT}`, {
        host: target.name,
      });
    const { stream } = await docker.openExec(container, {
      cmd: buildTailArgv(location.file, request.tail, request.follow),
      action: `read the slow query log of ${container}`,
    });
    const out = new PassThrough();
    const demux = new DockerFrameDemuxer();
    let pid: string | undefined;
    let head = "";
    stream.on("data", (chunk: Buffer) => {
      for (const frame of demux.push(chunk)) {
        if (pid === undefined && frame.stream === "stdout") {
          head += frame.payload.toString("utf8");
          const m = PID_LINE.exec(head);
          if (!m && head.length < 64) continue;
          pid = m?.[1] ?? "";
          const rest = m ? head.slice(m[0].length) : head;
          if (rest && !out.write(rest)) stream.pause();
          continue;
        }
        if (!out.write(frame.payload)) stream.pause();
      }
    });
    out.on("drain", () => stream.resume());
    stream.once("end", () => out.end());
    stream.once("error", (err) => out.destroy(err));
    let isClosed = false;
    const close = () => {
      if (isClosed) return;
      isClosed = true;
      stream.destroy();
      out.destroy();
      if (pid) void stopRemoteTail(docker, container, pid);
    };
    // tail's own complaints (file rotated, missing) are shown as lines too: raw bytes, one stream.
    return { stream: out, isTty: true, close };
  };
}

/** Cleanup runs as an operation (the default purpose): it must not queue behind the host's other log streams. */
async function stopRemoteTail(docker: DockerClient, container: string, pid: string): Promise<void> {
  await docker
    .exec(container, { cmd: ["sh", "-c", 'kill "$1" 2>/dev/null; true', "pxf-stop", pid], action: "stop the slow log reader" })
    .catch(() => undefined);
}
