import type { ClientChannel } from "ssh2";

const KILL_GRACE_MS = 3_000;

export interface ChannelOutcome {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
}

/** Exit statuses that arrived before anyone listened (see recordExitStatus). */
const earlyExits = new WeakMap<ClientChannel, { code: number | null; signal?: string }>();

/**
 * Listens for the channel's exit status from the moment the channel exists. A command that needs no
 * stdin (`test -d`, `cat FILE`) can finish in the packet that confirms the exec: ssh2 then emits
 * `exit` while it parses that packet, before the caller's `await` resumes and attaches its listener,
 * and the status would be lost (read as "killed"). Called by the pool in the exec callback.
 */
export function recordExitStatus(channel: ClientChannel): void {
  channel.once("exit", (code: number | null, sig?: string) => {
    earlyExits.set(channel, { code: typeof code === "number" ? code : null, signal: sig ?? undefined });
  });
}

/** The exit status as "close" reported it, or as ssh2 kept it on the channel (`_exit`). */
export function closeStatus(channel: ClientChannel, code?: number | null, sig?: string): { code: number | null; signal?: string } {
  if (typeof code === "number") return { code };
  const kept = (channel as unknown as { _exit?: { code?: number | null; signal?: string } })._exit;
  if (typeof kept?.code === "number") return { code: kept.code };
  const signal = sig ?? kept?.signal;
  return { code: null, ...(signal ? { signal: signal.replace(/^SIG/, "") } : {}) };
}

/** The exit status the channel reported before its reader listened, if it did. */
export function earlyExitStatus(channel: ClientChannel): { code: number | null; signal?: string } | undefined {
  return earlyExits.get(channel);
}

/**
 * Feed stdin to an exec channel, collect stdout/stderr (keeping the tail beyond `maxBytes`) and
 * the exit status. On timeout, stop the remote process and resolve at once with `timedOut`.
 */
export function collectOutput(
  channel: ClientChannel,
  options: { stdin?: string | Buffer; timeoutMs: number; maxBytes: number },
): Promise<ChannelOutcome> {
  const stdout = new TailBuffer(options.maxBytes);
  const stderr = new TailBuffer(options.maxBytes);
  return new Promise((resolve) => {
    const early = earlyExits.get(channel);
    let exitCode: number | null = early?.code ?? null;
    let signal: string | undefined = early?.signal;
    const finish = (timedOut: boolean) =>
      resolve({ stdout: stdout.text(), stderr: stderr.text(), exitCode, timedOut, ...(signal ? { signal } : {}) });
    const timer = setTimeout(() => {
      stopRemoteProcess(channel);
      // Do not wait for the remote side: sshd only confirms the close once the process is gone.
      finish(true);
    }, options.timeoutMs);
    channel.on("data", (chunk: Buffer) => stdout.push(chunk));
    channel.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    channel.on("exit", (code: number | null, sig?: string) => {
      exitCode = typeof code === "number" ? code : null;
      signal = sig ?? undefined;
    });
    channel.on("error", () => undefined); // surfaced through "close" without an exit status
    // ssh2 passes the exit status to "close" too (kept on the channel when it came): the fallback if an
    // "exit" was emitted where no listener saw it, so a finished command is never read as killed.
    channel.once("close", (code?: number | null, sig?: string) => {
      clearTimeout(timer);
      if (exitCode === null && !signal) {
        const kept = closeStatus(channel, code, sig);
        exitCode = kept.code;
        signal = kept.signal;
      }
      finish(false);
    });
    if (options.stdin !== undefined) channel.end(options.stdin);
    else channel.end();
  });
}

/**
 * Stop a command whose time is up. Without a pty, closing the channel does not reach the process
 * (sshd keeps the session until it exits), so ask sshd to signal it: TERM, then KILL if it
 * lingers. OpenSSH refuses signals for root sessions (no privilege separation after login);
 * exec's `remoteTimeout` wrapper covers that case.
 */
export function stopRemoteProcess(channel: ClientChannel): void {
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
