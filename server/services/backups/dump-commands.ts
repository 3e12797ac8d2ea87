/**
 * Fixed shell scripts run inside the db container. Security: user-controlled values never enter
 * the script text; the program and its arguments arrive as positional parameters ("$@"), and the
 * password as MYSQL_PWD in the exec environment (never in argv, so never in the process list).
 */

/**
 * Dumps to stdout through gzip; the dump's own exit status is reported on stderr (sh has no pipefail).
 * The script's pid comes first on stderr: the exec is a session leader, so it is also the process
 * group of the whole pipeline, which the panel kills when the stream breaks (Docker does not stop an
 * exec whose client went away: it keeps draining the output, so the dump would run to its end).
 */
export const DUMP_SCRIPT = 'echo "pxf-dump-group:$$" >&2; { "$@"; echo "pxf-dump-exit:$?" >&2; } | gzip -c';

/** Kills the process group $1, only if $1 is still one of our dump scripts (a pid is never reused blindly). */
export const STOP_DUMP_SCRIPT = 'grep -qa pxf-backup "/proc/$1/cmdline" 2>/dev/null && kill -s KILL -- "-$1"';

/** Gunzips stdin into the client; gunzip's status is reported on stderr, the client's is the exit code. */
export const RESTORE_SCRIPT = '{ gunzip -c; echo "pxf-gunzip-exit:$?" >&2; } | "$@"';

/** mysqldump's last line; a dump without it was cut short. */
export const DUMP_TRAILER = "-- Dump completed";

/** The argv of a compressed dump of one database (no --databases: a restore or drill picks the target). */
export function buildDumpArgv(database: string, isMariaDb: boolean): string[] {
  const dump = isMariaDb ? "mariadb-dump" : "mysqldump";
  const flags = ["--user=root", "--single-transaction", "--quick", "--routines", "--triggers", "--events"];
  // --set-gtid-purged exists only on MySQL; MariaDB's dump refuses it.
  if (!isMariaDb) flags.push("--set-gtid-purged=OFF");
  return ["sh", "-c", DUMP_SCRIPT, "pxf-backup", dump, ...flags, database];
}

/** The argv that stops a dump left running in the db container (its pid as reported by DUMP_SCRIPT). */
export function buildStopDumpArgv(pid: number): string[] {
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`not a dump pid: ${pid}`);
  return ["sh", "-c", STOP_DUMP_SCRIPT, "pxf-stop", String(pid)];
}

/**
 * The argv of a restore of a gzip dump from stdin into `database`.
 * Security: a dump is fed to the command-line client, which also runs its own commands found in it
 * (`\! cmd` and `system cmd` run a shell in the db container; `\. file`, `source`, `tee`, `pager`,
 * `edit` reach its files). `--binary-mode` turns every client command off but `\C` and `DELIMITER`
 * when the client reads a pipe (MySQL and MariaDB clients alike, for years): one in a crafted dump is
 * an error that stops the restore (see restoreRefusal). MariaDB's `--sandbox` (10.5.25, 10.6.18,
 * 10.11.8 and later, after CVE-2024-21096) refuses the file-system ones as well; `--loose-` so that an
 * older client only warns. MySQL's newer `--commands=OFF` is left out: no MySQL client here to test it on.
 */
export function buildRestoreArgv(database: string, isMariaDb: boolean): string[] {
  const client = isMariaDb ? ["mariadb", "--binary-mode", "--loose-sandbox"] : ["mysql", "--binary-mode"];
  return ["sh", "-c", RESTORE_SCRIPT, "pxf-restore", ...client, "--user=root", database];
}

/**
 * What to tell the operator when the client stopped at a client command in the dump (which it refuses
 * to run), or null when the failure was something else.
 */
export function restoreRefusal(stderr: string): string | null {
  const m = /ERROR at line (\d+): (?:Unknown command '(\\.)'|Not allowed in the sandbox mode)/.exec(stderr);
  if (!m) return null;
  const what = m[2] ? `a mysql client command (${m[2]})` : "a mysql client command";
  return `The dump holds ${what} at line ${m[1]}, which restores never run (mysqldump and mariadb-dump do not write one): the file was made by something else or changed since. The restore stopped there.`;
}

/** Reads the status a script reported on stderr (`pxf-dump-exit:N`), or null when it never got there. */
export function reportedExit(stderr: string, marker: "pxf-dump-exit" | "pxf-gunzip-exit" | "pxf-dump-group"): number | null {
  const m = new RegExp(`${marker}:(\\d+)`).exec(stderr);
  return m ? Number(m[1]) : null;
}

/** stderr without our markers, trimmed to what an operator should read. */
export function cleanStderr(stderr: string): string {
  return stderr
    .replace(/pxf-(dump|gunzip)-(exit|group):\d+\n?/g, "")
    .trim()
    .split("\n")
    .slice(-10)
    .join("\n");
}
