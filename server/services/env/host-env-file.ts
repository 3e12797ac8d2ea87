import { execCommand } from "@/server/adapters/ssh/exec";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";
import { formatEnv, isSecretKey, type EnvEntry } from "./env-format";
import { hostFileProblem } from "./env-quoting";

/** Where the go-live plan keeps the app's env on each app host (`deploy_app.sh -e`, compose's env_file). */
export const HOST_ENV_FILE = "/srv/pixelfox/.env";

/**
 * Mode 0600 (umask), the previous file kept as `.env.prev`, the new one written beside it and moved
 * into place, so a reader never sees half a file. The path is an argument ($1), never spliced in.
 */
const WRITE_SCRIPT =
  'umask 077 && mkdir -p "${1%/*}" && if [ -f "$1" ]; then cp -p "$1" "$1.prev"; fi && cat > "$1.tmp" && mv -f "$1.tmp" "$1"';

/** The command that writes stdin to `path` that way. */
export const writeFileArgv = (path: string) => ["sh", "-c", WRITE_SCRIPT, "sh", path];

/**
 * The file's text: a header that says where it comes from, then KEY=VALUE lines quoted so that a shell
 * sourcing it, docker compose and the app all read the same values and run nothing.
 * Security: an entry that no quoting carries to every reader is refused here, before anything is
 * written (saving such a version is refused too; this guards versions saved before that rule).
 */
export function hostEnvFileText(env: { version: number; entries: string[] }, when: Date): string {
  const problems = toEntries(env.entries).flatMap(([k, v]) => hostFileProblem(k, v) ?? []);
  if (problems.length)
    throw new AppError(
      "PRECONDITION_FAILED",
      `Env version ${env.version} cannot be written to ${HOST_ENV_FILE} as it is: ${problems.slice(0, 3).join("; ")}. Save a new version without it in Stack → App environment.`,
      { data: { field: "content" } },
    );
  const header = [
    `# Written by PixelFox Ops: app environment version ${env.version}, ${when.toISOString()}.`,
    "# Edit it in the panel (Stack → App environment): a deploy leaves a file edited here as it is and shows the difference.",
  ];
  return `${header.join("\n")}\n${formatEnv(toEntries(env.entries))}`;
}

/**
 * Writes the app's env to HOST_ENV_FILE on an app host, so a manual `docker compose up` (or the plan's
 * deploy script) starts the app with what the panel deploys. The values travel on stdin, never argv.
 */
export async function writeHostEnvFile(target: SshTarget, env: { version: number; entries: string[] }, when = new Date()): Promise<void> {
  const entries = toEntries(env.entries);
  await execCommand(target, writeFileArgv(HOST_ENV_FILE), {
    stdin: hostEnvFileText(env, when),
    action: `write ${HOST_ENV_FILE} (env version ${env.version})`,
    secrets: entries.filter(([k, v]) => isSecretKey(k) && v).map(([, v]) => v),
    timeoutMs: 30_000,
  });
}

// Exit 3 (and nothing on stdout) for a missing file, so "absent" is never confused with "unreadable".
const READ_SCRIPT = 'if [ -e "$1" ]; then exec cat -- "$1"; else exit 3; fi';

/**
 * The host's HOST_ENV_FILE as it is now, or null when there is none. Its values are secrets: they are
 * kept in memory to compare, never logged. Throws REMOTE_FAILED naming the host when it cannot be read.
 */
export async function readHostEnvFile(target: SshTarget): Promise<string | null> {
  const r = await execCommand(target, ["sh", "-c", READ_SCRIPT, "sh", HOST_ENV_FILE], {
    action: `read ${HOST_ENV_FILE}`,
    throwOnNonZero: false,
    timeoutMs: 30_000,
  });
  if (r.exitCode === 3) return null;
  if (r.exitCode !== 0)
    throw new AppError(
      "REMOTE_FAILED",
      `Could not read ${HOST_ENV_FILE} on ${target.name}: ${r.stderr.trim().slice(0, 200) || `exit ${r.exitCode}`}. Check that the panel's SSH user may read it (sudo or file owner).`,
      { host: target.name, action: `read ${HOST_ENV_FILE}` },
    );
  return r.stdout;
}

function toEntries(lines: string[]): EnvEntry[] {
  return lines.map((line) => {
    const eq = line.indexOf("=");
    return [line.slice(0, eq), line.slice(eq + 1)];
  });
}
