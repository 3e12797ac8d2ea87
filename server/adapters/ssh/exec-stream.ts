import type { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ClientChannel } from "ssh2";
import { AppError } from "@/server/errors";
import { quoteArgv, withRemoteTimeout } from "./exec";
import { closeStatus, earlyExitStatus, stopRemoteProcess } from "./exec-channel";
import { getSshPool, type SshPool } from "./pool";
import { describeTarget, type ChannelPurpose, type SshTarget } from "./types";

const DEFAULT_TIMEOUT_MS = 6 * 60 * 60 * 1000;
const STDERR_TAIL_BYTES = 16 * 1024;

export interface StreamCommandOptions {
  /** Receives the command's stdout with backpressure (a file, a hash…); never buffered in memory. */
  stdout: Writable;
  /** Fed to the command's stdin with backpressure, then EOF (default: no stdin). A read error stops the command and is thrown. */
  stdin?: Readable;
  /** Cancels: the remote process is signalled and the channel closed. */
  signal?: AbortSignal;
  /** Stop the command after this long, here and on the host (`timeout -k`); default 6 h. */
  timeoutMs?: number;
  /** What the panel was doing, for error messages. */
  action: string;
  /** Which channel slots the command may use (default "operation"). */
  purpose?: ChannelPurpose;
  pool?: SshPool;
}

export interface StreamCommandResult {
  /** Remote exit code; null when none arrived (killed, timed out, or the connection dropped). */
  exitCode: number | null;
  signal?: string;
  /** The last bytes of stderr. */
  stderrTail: string;
  /** The host's SSH connection went away while the command ran (its output is cut short). */
  connectionLost: boolean;
  timedOut: boolean;
}

/**
 * Runs `argv` on the host over the pooled SSH connection, streaming stdout into `opts.stdout`
 * (memory stays flat whatever the size). Resolves with the exit status; a write error on
 * `opts.stdout` (e.g. a full disk) rejects with that error after the remote command is stopped.
 * Security: argv is quoted word by word (see quoteArgv), never a shell string.
 */
export async function streamCommand(target: SshTarget, argv: readonly string[], opts: StreamCommandOptions): Promise<StreamCommandResult> {
  const pool = opts.pool ?? getSshPool();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let connectionLost = false;
  const stopWatching = pool.onConnectionClosed((hostId) => {
    if (hostId === target.hostId) connectionLost = true;
  });
  try {
    opts.signal?.throwIfAborted();
    const channel = await pool.exec(target, quoteArgv(withRemoteTimeout(argv, timeoutMs)), { action: opts.action, purpose: opts.purpose });
    return await runChannel(channel, opts, timeoutMs, () => connectionLost, target);
  } finally {
    stopWatching();
  }
}

async function runChannel(
  channel: ClientChannel,
  opts: StreamCommandOptions,
  timeoutMs: number,
  isLost: () => boolean,
  target: SshTarget,
): Promise<StreamCommandResult> {
  // A fast command may have exited before this listens (see recordExitStatus).
  const early = earlyExitStatus(channel);
  let exitCode: number | null = early?.code ?? null;
  let exitSignal: string | undefined = early?.signal;
  let timedOut = false;
  let stderr = Buffer.alloc(0);
  channel.on("exit", (code: number | null, sig?: string) => {
    exitCode = typeof code === "number" ? code : null;
    exitSignal = sig ?? undefined;
  });
  channel.stderr.on("data", (chunk: Buffer) => {
    stderr = Buffer.concat([stderr, chunk]);
    if (stderr.length > STDERR_TAIL_BYTES) stderr = stderr.subarray(stderr.length - STDERR_TAIL_BYTES);
  });
  const closed = new Promise<void>((resolve) =>
    channel.once("close", (code?: number | null, sig?: string) => {
      if (exitCode === null && !exitSignal) ({ code: exitCode, signal: exitSignal } = closeStatus(channel, code, sig));
      resolve();
    }),
  );
  const stop = () => {
    stopRemoteProcess(channel);
    channel.destroy();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, timeoutMs);
  const onAbort = () => stop();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  let inputError: Error | undefined;
  if (opts.stdin) {
    const input = opts.stdin;
    input.once("error", (err) => {
      inputError = err;
      stop();
    });
    // A command that exits before reading everything ends this early: its exit status says why.
    pipeline(input, channel).catch(() => undefined);
  } else {
    channel.end();
  }
  try {
    await pipeline(channel, opts.stdout);
  } catch (err) {
    // Our side failed (the input could not be read, or the sink refused a write): stop the remote command, report our error.
    stopRemoteProcess(channel);
    if (inputError) throw inputError;
    if (opts.signal?.aborted) throw new AppError("CONFLICT", "Cancelled", { cause: err });
    if (timedOut) {
      throw new AppError(
        "HOST_TIMEOUT",
        `Could not ${opts.action} on ${describeTarget(target)}: it did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`,
        { host: target.name, action: opts.action, cause: err },
      );
    }
    throw err;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
  }
  await closed;
  if (inputError) throw inputError;
  // The connection's "end" is seen before its channels are closed, so the flag is settled here.
  return {
    exitCode,
    ...(exitSignal ? { signal: exitSignal } : {}),
    stderrTail: stderr.toString("utf8"),
    connectionLost: isLost() && exitCode === null,
    timedOut,
  };
}

/** "the SSH connection to <host> was lost while …": the reason shown when a stream was cut short (no final period). */
export function describeLostConnection(target: SshTarget, what: string): string {
  return `the SSH connection to ${describeTarget(target)} was lost while ${what}; the output was cut short; check the host's network and sshd, then run it again (the panel reconnects by itself)`;
}
