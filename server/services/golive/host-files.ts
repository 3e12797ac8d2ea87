import type { ExecOptions, ExecResult, SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";

/** Runs argv on a host over SSH (HostTransport.exec); the only way go-live touches a host's files. */
export type HostExec = (target: SshTarget, argv: string[], options?: ExecOptions) => Promise<ExecResult>;

// Security: every path the panel writes is a plain absolute path of its own making; checked anyway.
const SAFE_PATH = /^\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+$/;
const MODE = /^0[0-7]{3}$/;

function checkPath(path: string): string {
  if (!SAFE_PATH.test(path) || path.split("/").includes(".."))
    throw new AppError("BAD_REQUEST", `Refusing to touch the path ${JSON.stringify(path)} on a host`);
  return path;
}

// Prints each directory it is about to make, parents first (those `mkdir -p` would make silently),
// then makes them: the parents with the default mode, the directory itself with its own.
const MAKE_DIR_SCRIPT = [
  'p="$1"; missing=""',
  'while [ -n "$p" ] && [ ! -d "$p" ]; do missing="$p $missing"; p="${p%/*}"; done',
  'for d in $missing; do if [ "$d" = "$1" ]; then mkdir -m "$2" "$d"; else mkdir "$d"; fi || exit 1; echo "$d"; done',
].join("\n");

/**
 * Makes the directories that do not exist yet (with their mode), and their missing parents, and
 * returns every directory it made (parents first), so a failed provision can remove exactly what it
 * created. Existing directories are left as they are.
 */
export async function makeDirs(
  exec: HostExec,
  target: SshTarget,
  dirs: { path: string; mode: string }[],
  /** Collects what was made as it is made, so a caller still knows it when this throws half-way. */
  made: string[] = [],
): Promise<string[]> {
  for (const d of dirs) {
    if (!MODE.test(d.mode)) throw new AppError("BAD_REQUEST", `Bad mode ${d.mode} for ${d.path}`);
    const r = await exec(target, ["sh", "-c", MAKE_DIR_SCRIPT, "sh", checkPath(d.path), d.mode], {
      action: `create ${d.path}`,
      throwOnNonZero: false,
    });
    made.push(...r.stdout.split("\n").filter((line) => line.startsWith("/")));
    if (r.exitCode !== 0) {
      throw new AppError(
        "REMOTE_FAILED",
        `Could not create ${d.path} on ${target.name}: ${r.stderr.trim().slice(0, 300) || `exit ${r.exitCode}`}`,
        {
          host: target.name,
          action: `create ${d.path}`,
          data: { made },
        },
      );
    }
  }
  return made;
}

/**
 * Writes a file with its mode (umask 077 first, so a secret file is never readable by others, even for
 * a moment), the previous one kept as `<file>.prev`. The content travels on stdin, never argv.
 * Returns whether the file existed before.
 */
export async function writeHostFile(
  exec: HostExec,
  target: SshTarget,
  file: { path: string; text: string; mode: string; secret?: boolean },
  secrets: string[] = [],
): Promise<boolean> {
  if (!MODE.test(file.mode)) throw new AppError("BAD_REQUEST", `Bad mode ${file.mode} for ${file.path}`);
  const script =
    'umask 077; existed=no; if [ -e "$1" ]; then existed=yes; cp -p "$1" "$1.prev"; fi; mkdir -p "${1%/*}" && cat > "$1.tmp" && chmod "$2" "$1.tmp" && mv -f "$1.tmp" "$1" && echo "$existed"';
  const r = await exec(target, ["sh", "-c", script, "sh", checkPath(file.path), file.mode], {
    stdin: file.text,
    action: `write ${file.path}`,
    secrets,
  });
  return r.stdout.trim() === "yes";
}

/** Removes files and (empty) directories a failed provision made; returns what it could not remove. */
export async function removeMade(exec: HostExec, target: SshTarget, made: { files: string[]; dirs: string[] }): Promise<string[]> {
  const left: string[] = [];
  for (const f of made.files) {
    const r = await exec(target, ["rm", "-f", "--", checkPath(f)], { throwOnNonZero: false, action: `remove ${f}` }).catch(() => null);
    if (!r || r.exitCode !== 0) left.push(f);
  }
  for (const d of [...made.dirs].reverse()) {
    // rmdir only: a directory something wrote into (a db's first files) stays, and is reported.
    const r = await exec(target, ["rmdir", "--", checkPath(d)], { throwOnNonZero: false, action: `remove ${d}` }).catch(() => null);
    if (!r || r.exitCode !== 0) left.push(`${d} (not empty)`);
  }
  return left;
}
