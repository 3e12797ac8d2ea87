import { parseNginxDirectives } from "./nginx-tokens";
import type { ProxyRunner } from "./proxy-runner";

// Security: a constant script; the pid file and the nginx command arrive as arguments.
// nginx's master starts new workers on SIGHUP, then (~100 ms later) tells the old ones to stop
// taking connections; an old worker that did retitles itself "worker process is shutting down".
// So "every worker from before is shutting down or gone" is when traffic follows the new config.
const RELOAD_SCRIPT = [
  'pidfile="$1"; shift',
  'm=$(cat "$pidfile" 2>/dev/null)',
  "workers() {",
  '  [ -n "$m" ] || return 0',
  '  for f in $(grep -l "^PPid:[[:space:]]*$m\\$" /proc/[0-9]*/status 2>/dev/null); do',
  "    d=${f%/status}",
  '    grep -qa "shutting down" "$d/cmdline" 2>/dev/null && continue',
  '    grep -qa "worker process" "$d/cmdline" 2>/dev/null && echo "${d#/proc/}"',
  "  done",
  "}",
  'before=" $(workers | tr "\\n" " ") "',
  '"$@" -s reload || exit $?',
  "i=0",
  "while [ $i -lt 200 ]; do",
  '  now=" $(workers | tr "\\n" " ") "; left=0',
  '  for p in $before; do case "$now" in *" $p "*) left=1;; esac; done',
  "  [ $left -eq 0 ] && exit 0",
  "  sleep 0.05; i=$((i + 1))",
  "done",
  "exit 98",
].join("\n");

export const OLD_WORKERS_LINGER = 98;

/**
 * `nginx -s reload`, then wait (up to ~10 s) until the workers that ran before have stopped
 * taking connections, so the caller's "switched" means new requests follow the new config. Without
 * a pid file (unknown master) it only reloads. Exit code: nginx's own on a failed reload,
 * OLD_WORKERS_LINGER when old workers still accept after the wait.
 */
export function reloadAndWait(runner: ProxyRunner, nginxCommand: readonly string[], pidFile: string | null) {
  return runner.run(["sh", "-c", RELOAD_SCRIPT, "sh", pidFile ?? "", ...nginxCommand], { action: "reload nginx gracefully" });
}

/** The master's pid file: the `pid` directive nginx -T shows, else the compiled-in --pid-path of nginx -V. */
export async function findPidFile(runner: ProxyRunner, nginxCommand: readonly string[]): Promise<string | null> {
  const dump = await runner.run([...nginxCommand, "-T"], { action: "read the config with nginx -T" });
  const pid = parseNginxDirectives(dump.stdout).find((d) => d.depth === 0 && d.name.text === "pid" && d.args[0]);
  if (pid) return pid.args[0]!.text;
  const version = await runner.run([...nginxCommand, "-V"], { action: "read nginx's build options" });
  return /--pid-path=(\S+)/.exec(version.stderr + version.stdout)?.[1] ?? null;
}
