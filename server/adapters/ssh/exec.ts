import { quote } from "shell-quote";
import { AppError } from "@/server/errors";
import { redact } from "@/server/redact";
import { collectOutput } from "./exec-channel";
import { getSshPool, type SshPool } from "./pool";
import { describeTarget, type ExecOptions, type ExecResult, type SshTarget } from "./types";

const DEFAULT_TIMEOUT_MS = 60_000;
const STDERR_TAIL_LINES = 20;
const REMOTE_TIMEOUT_SLACK_S = 1;
const REMOTE_KILL_AFTER_S = 5;
/** Output kept per stream; beyond this the head is dropped (we keep the tail, where errors are). */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/**
 * Build the single command string SSH exec takes from an argument array.
 *
 * Security: every word is quoted with shell-quote, so `$(...)`, backticks, `;`, `|`, globs and
 * newlines reach the remote program as literal argument text. Never build the string by hand.
 */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new AppError("BAD_REQUEST", "Cannot run an empty command.");
  for (const word of argv) {
    if (typeof word !== "string") throw new AppError("BAD_REQUEST", "Command arguments must be strings.");
    // Security: a NUL cannot be passed through an exec string; refuse rather than truncate.
    if (word.includes("\0")) throw new AppError("BAD_REQUEST", "Command arguments must not contain NUL bytes.");
  }
  return quote([...argv]);
}

/**
 * Run `argv` on the host over the pooled SSH connection and collect its output.
 * Non-zero exit throws REMOTE_FAILED unless `throwOnNonZero: false`. On timeout the remote
 * process is stopped (TERM/KILL through sshd, and `timeout` on the host, see `remoteTimeout`),
 * the channel is closed, and HOST_TIMEOUT is thrown.
 */
export async function execCommand(
  target: SshTarget,
  argv: readonly string[],
  opts: ExecOptions & { pool?: SshPool } = {},
): Promise<ExecResult> {
  const pool = opts.pool ?? getSshPool();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const shown = redact(quoteArgv(argv), opts.secrets ?? []);
  const command = quoteArgv(opts.remoteTimeout === false ? argv : withRemoteTimeout(argv, timeoutMs));
  const action = opts.action ?? `run ${redact(argv[0] ?? "", opts.secrets ?? [])}`;
  const host = describeTarget(target);
  const started = performance.now();

  const channel = await pool.exec(target, command, { env: opts.env, action, purpose: opts.purpose });
  const outcome = await collectOutput(channel, { stdin: opts.stdin, timeoutMs, maxBytes: MAX_OUTPUT_BYTES });
  const result: ExecResult = {
    stdout: outcome.stdout,
    stderr: outcome.stderr,
    exitCode: outcome.exitCode,
    durationMs: Math.round(performance.now() - started),
    ...(outcome.signal ? { signal: outcome.signal } : {}),
  };

  if (outcome.timedOut) {
    throw new AppError(
      "HOST_TIMEOUT",
      `Could not ${action} on ${host}: \`${shown}\` did not finish within ${timeoutMs / 1000} s and was stopped. Check the host's load, or retry with a longer timeout.`,
      { host: target.name, action, data: { command: shown, timeoutMs, stderrTail: tailLines(result.stderr, opts.secrets) } },
    );
  }
  if ((opts.throwOnNonZero ?? true) && result.exitCode !== 0) {
    const status =
      result.exitCode === null ? `was killed${result.signal ? ` by SIG${result.signal}` : ""}` : `exited with code ${result.exitCode}`;
    const tail = tailLines(result.stderr, opts.secrets);
    throw new AppError(
      "REMOTE_FAILED",
      `Could not ${action} on ${host}: \`${shown}\` ${status}.${tail ? ` Last error output:\n${tail}` : " It printed nothing on stderr."}`,
      { host: target.name, action, data: { command: shown, exitCode: result.exitCode, signal: result.signal, stderrTail: tail } },
    );
  }
  return result;
}

/**
 * Prefix argv with `timeout`, so the host itself ends the command a little after our own timer
 * fires (our TERM signal covers non-root users; this covers root, where sshd refuses signals).
 */
export function withRemoteTimeout(argv: readonly string[], timeoutMs: number): string[] {
  const seconds = Math.ceil(timeoutMs / 1000) + REMOTE_TIMEOUT_SLACK_S;
  return ["timeout", "-k", String(REMOTE_KILL_AFTER_S), String(seconds), ...argv];
}

function tailLines(text: string, secrets: string[] | undefined): string {
  const lines = text.trimEnd().split("\n");
  return redact(lines.slice(-STDERR_TAIL_LINES).join("\n"), secrets ?? []);
}
