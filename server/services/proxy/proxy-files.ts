import { AppError } from "@/server/errors";
import type { ProxyRunner } from "./proxy-runner";

/**
 * The files where a proxy's config lives (Caddyfile, Nginx site and upstream include). Paths are
 * given as the proxy sees them (e.g. /etc/caddy/Caddyfile inside its container); the port maps them
 * to where they really are (the host file behind a bind mount). Text files, UTF-8.
 */
export interface ProxyFiles {
  /** Where `path` really is, for messages: "/srv/caddy/Caddyfile". */
  locate(path: string): string;
  /** The file's text, or null when it does not exist. */
  read(path: string): Promise<string | null>;
  /**
   * Replace the file's content in place (same inode: a single-file bind mount keeps showing it),
   * creating it and its directory when missing. The new text is staged in full first, so a dropped
   * connection never leaves a half-written file.
   */
  write(path: string, text: string): Promise<void>;
  /** Delete the file; a missing file is fine. */
  remove(path: string): Promise<void>;
}

// Security: constant scripts; the path only ever arrives as "$1", never inside the script text.
// Paths are absolute (assertAbsolutePath), so none can be taken for an option.
const READ_SCRIPT = 'if [ -e "$1" ]; then exec cat "$1"; else exit 3; fi';
const WRITE_SCRIPT = [
  'mkdir -p "$(dirname "$1")" || exit 1',
  "t=$(mktemp) || exit 1",
  // `cat > file` rewrites the existing inode; `mv` would swap it and detach a bind mount.
  'if cat > "$t" && cat "$t" > "$1"; then s=0; else s=1; fi',
  'rm -f "$t"',
  "exit $s",
].join("\n");
const MISSING = 3;

/** Proxy files reached through a runner (SSH on the host, or exec in the container), with an optional path map. */
export function createRunnerFiles(runner: ProxyRunner, options: { mapPath?: (path: string) => string } = {}): ProxyFiles {
  const locate = (path: string) => {
    assertAbsolutePath(path);
    return options.mapPath ? options.mapPath(path) : path;
  };
  const fail = (what: string, path: string, stderr: string) =>
    new AppError(
      "REMOTE_FAILED",
      `Could not ${what} ${locate(path)} ${runner.where}: ${stderr.trim().slice(-300) || "no error output"}. Check the file's permissions and the disk, then retry.`,
      { action: `${what} ${locate(path)}`, data: { path: locate(path) } },
    );
  return {
    locate,
    async read(path) {
      const r = await runner.run(["sh", "-c", READ_SCRIPT, "sh", locate(path)], { action: `read ${locate(path)}` });
      if (r.exitCode === MISSING) return null;
      if (r.exitCode !== 0) throw fail("read", path, r.stderr);
      return r.stdout;
    },
    async write(path, text) {
      const r = await runner.run(["sh", "-c", WRITE_SCRIPT, "sh", locate(path)], { stdin: text, action: `write ${locate(path)}` });
      if (r.exitCode !== 0) throw fail("write", path, r.stderr);
    },
    async remove(path) {
      const r = await runner.run(["rm", "-f", locate(path)], { action: `remove ${locate(path)}` });
      if (r.exitCode !== 0) throw fail("remove", path, r.stderr);
    },
  };
}

/** Security: config paths end up in commands and in config text; only plain absolute paths pass. */
export function assertAbsolutePath(path: string, field = "path"): void {
  if (typeof path !== "string" || !/^\/[A-Za-z0-9._\-/+@]*$/.test(path) || path.split("/").includes("..")) {
    throw new AppError(
      "BAD_REQUEST",
      `${field} must be an absolute path of letters, digits and . _ - / + @ (no spaces, quotes or ".."), got "${String(path).slice(0, 120)}".`,
      { data: { field } },
    );
  }
}
