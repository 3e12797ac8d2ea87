import path from "node:path/posix";
import { findReverseProxyHandlers, sameDials } from "@/server/adapters/caddy";
import { AppError } from "@/server/errors";
import { assertAbsolutePath, type ProxyFiles } from "./proxy-files";
import type { ProxyRunner } from "./proxy-runner";

/** How the Caddy driver reaches the Caddyfile Caddy runs from. */
export interface CaddyfileAccess {
  /** The Caddyfile as Caddy sees it, e.g. /etc/caddy/Caddyfile in its container (see findCaddyfile). */
  path: string;
  /** Reads and writes it where it really is (the host file behind the bind mount). */
  files: ProxyFiles;
  /** Runs `caddy` where Caddy runs, to check a new Caddyfile before it is written. */
  runner: ProxyRunner;
  /** Default ["caddy"]. */
  caddyCommand?: readonly string[];
}

// Security: a constant script; the temp path and the caddy command arrive as arguments.
const ADAPT_SCRIPT = [
  't="$1"; shift',
  'cat > "$t" || exit 97',
  '"$@" adapt --adapter caddyfile --config "$t"',
  "s=$?",
  'rm -f "$t"',
  "exit $s",
].join("\n");
const STAGING_FAILED = 97;

/**
 * `caddy adapt` of `text` where Caddy runs (staged beside the real Caddyfile, so relative imports
 * resolve as they will for the real one): its JSON config, or REMOTE_FAILED with Caddy's reason.
 */
export async function adaptCaddyfile(access: CaddyfileAccess, text: string): Promise<unknown> {
  assertAbsolutePath(access.path, "Caddyfile path");
  const staged = path.join(path.dirname(access.path), `.${path.basename(access.path)}.pixelfox-check`);
  const r = await access.runner.run(["sh", "-c", ADAPT_SCRIPT, "sh", staged, ...(access.caddyCommand ?? ["caddy"])], {
    stdin: text,
    action: "check a Caddyfile with caddy adapt",
  });
  if (r.exitCode === STAGING_FAILED) {
    throw new AppError(
      "REMOTE_FAILED",
      `Could not stage a Caddyfile at ${staged} ${access.runner.where} to check it: ${tail(r.stderr)}. The directory of the Caddyfile must be writable where Caddy runs.`,
      { data: { path: staged } },
    );
  }
  if (r.exitCode !== 0) {
    throw new AppError("REMOTE_FAILED", `caddy adapt ${access.runner.where} refused the Caddyfile: ${caddyError(r.stderr)}.`, {
      data: { exitCode: r.exitCode },
    });
  }
  try {
    return JSON.parse(r.stdout) as unknown;
  } catch (err) {
    throw new AppError("REMOTE_FAILED", `caddy adapt ${access.runner.where} printed something that is not a JSON config.`, { cause: err });
  }
}

/** Whether an adapted config has a reverse_proxy with exactly `dials`, as Caddy would load it on a restart. */
export function hasReverseProxyTo(config: unknown, dials: readonly string[]): boolean {
  return findReverseProxyHandlers(config).some((h) => h.dials !== undefined && sameDials(h.dials, dials));
}

/** Caddy's own message from its stderr: the `Error: …` line, else the last lines. */
function caddyError(stderr: string): string {
  const error = stderr.split("\n").find((l) => l.startsWith("Error:") || l.includes("adapting config"));
  return (error ?? tail(stderr)).trim().slice(0, 500) || "no error output";
}

function tail(text: string): string {
  return text.trim().split("\n").slice(-5).join(" / ").slice(0, 500) || "no error output";
}
