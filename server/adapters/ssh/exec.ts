import { quote } from "shell-quote";
import type { ClientChannel } from "ssh2";
import { AppError } from "@/server/errors";
import { redact } from "@/server/redact";
import { getSshPool, type SshPool } from "./pool";
import { describeTarget, type ExecOptions, type ExecResult, type SshTarget } from "./types";

const DEFAULT_TIMEOUT_MS = 60_000;
const STDERR_TAIL_LINES = 20;
const KILL_GRACE_MS = 3_000;
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
 * Non-zero exit throws REMOTE_FAILED unless `throwOnNonZero: false`; the timeout closes the
 * channel (the remote process gets SIGHUP) and throws HOST_TIMEOUT.
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

  const channel = await pool.exec(target, command, { env: opts.env, action });
  const stdout = new TailBuffer(MAX_OUTPUT_BYTES);
  const stderr = new TailBuffer(MAX_OUTPUT_BYTES);

  const outcome = await new Promise<{ exitCode: number | null; signal?: string; timedOut: boolean }>((resolve) => {
    let exitCode: number | null = null;
    let signal: string | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stopRemoteProcess(channel);
      // Do not wait for the remote side: sshd only confirms the close once the process is gone.
      resolve({ exitCode, signal, timedOut });
    }, timeoutMs);
    channel.on("data", (chunk: Buffer) => stdout.push(chunk));
    channel.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    channel.on("exit", (code: number | null, sig?: string) => {
      exitCode = typeof code === "number" ? code : null;
      signal = sig ?? undefined;
    });
    channel.on("error", () => undefined); // surfaced through "close" without an exit status
    channel.once("close", () => {
      clearTimeout(timer);
      resolve({ exitCode, signal, timedOut });
    });
    if (opts.stdin !== undefined) channel.end(opts.stdin);
    else channel.end();
  });

  const durationMs = Math.round(performance.now() - started);
  const result: ExecResult = {
    stdout: stdout.text(),
    stderr: stderr.text(),
    exitCode: outcome.exitCode,
    durationMs,
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
    const status = result.exitCode === null ? `was killed${result.signal ? ` by SIG${result.signal}` : ""}` : `exited with code ${result.exitCode}`;
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

/**
 * Stop a command whose time is up. Without a pty, closing the channel alone does not reach the
 * process (sshd waits for it to exit), so ask sshd to signal it: TERM, then KILL if it lingers.
 */
function stopRemoteProcess(channel: ClientChannel): void {
  const send = (sig: string) => {
    try {
      sendSignal(channel, sig);
    } catch {
      // channel already closed
    }
  };
  send("TERM");
  // Keep the channel open during the grace period: ssh2 sends no requests on a closing channel.
  const kill = setTimeout(() => {
    send("KILL");
    channel.close();
  }, KILL_GRACE_MS);
  kill.unref();
  channel.once("close", () => clearTimeout(kill));
}

interface ChannelInternals {
  outgoing?: { id?: number; state?: string };
  _client?: { _protocol?: { signal?: (channelId: number, signal: string) => void } };
}

/**
 * ssh2's public `signal()` is silently skipped once stdin was ended (which we always do), so
 * send the "signal" channel request through its protocol object while the channel is open.
 */
function sendSignal(channel: ClientChannel, sig: string): void {
  const internals = channel as unknown as ChannelInternals;
  const id = internals.outgoing?.id;
  const protocol = internals._client?._protocol;
  const state = internals.outgoing?.state;
  if ((state === "open" || state === "eof") && typeof id === "number" && typeof protocol?.signal === "function") {
    protocol.signal(id, sig);
  } else {
    channel.signal(sig);
  }
}

function tailLines(text: string, secrets: string[] | undefined): string {
  const lines = text.trimEnd().split("\n");
  return redact(lines.slice(-STDERR_TAIL_LINES).join("\n"), secrets ?? []);
}

/** Keeps the last `limit` bytes of a stream. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}
