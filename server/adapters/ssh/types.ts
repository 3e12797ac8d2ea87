/** Everything the transport needs to reach one host. Built by services from a `Host` row. */
export interface SshTarget {
  /** Stable id of the host (pool key). */
  hostId: string;
  /** Inventory name, used in every message shown to the operator. */
  name: string;
  address: string;
  port: number;
  username: string;
  /** OpenSSH or PEM private key text (decrypted, in memory only). */
  privateKey: string;
  /** "SHA256:..." as printed by `ssh-keygen -lf`; null until an admin accepts the first key. */
  pinnedFingerprint: string | null;
  /** Path of the Docker Engine socket on the host, e.g. /run/docker.sock. */
  dockerSocket: string;
}

/**
 * What a channel is for, which decides the slots it may take on the host's connection: `stream`
 * for what a viewer holds open (log streams, the slow log, log downloads), `operation` for
 * everything else (deploy, backup, restore, migrations, health checks), the default.
 */
export type ChannelPurpose = "stream" | "operation";

export interface ExecOptions {
  /** Which channel slots the command may use (default "operation"). */
  purpose?: ChannelPurpose;
  /** Stop the command after this long (default 60 s) and throw HOST_TIMEOUT. */
  timeoutMs?: number;
  /** Written to the command's stdin, then stdin is closed. */
  stdin?: string | Buffer;
  /** Environment for the command (the server's AcceptEnv must allow the names). */
  env?: Record<string, string>;
  /** Throw REMOTE_FAILED on a non-zero exit (default true). */
  throwOnNonZero?: boolean;
  /** Extra secrets to redact from the command line and output in error messages. */
  secrets?: string[];
  /** What the panel was doing, for error messages (default "run <argv[0]>"). */
  action?: string;
  /**
   * Also enforce the timeout on the host by running the command under `timeout -k 5 <s>`
   * (coreutils or busybox), default true. Needed because OpenSSH does not stop a command when
   * its channel closes (no pty) and ignores "signal" requests for root logins.
   */
  remoteTimeout?: boolean;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Remote exit code; null when the process was killed by a signal. */
  exitCode: number | null;
  /** Signal name when the remote process was killed by one. */
  signal?: string;
  durationMs: number;
}

/** Counters exposed for tests and the health view. */
export interface SshHostStats {
  /** Connections successfully opened for this host since the pool started. */
  connectionsOpened: number;
  /** Connection attempts (successful or not). */
  connectAttempts: number;
  /** Channels currently open on the live connection (all purposes). */
  channelsOpen: number;
  /** Channel requests waiting for a free slot (all purposes). */
  queued: number;
  /** The same two figures per purpose. */
  byPurpose: Record<ChannelPurpose, { open: number; queued: number }>;
  /** Channels per connection, and how many of them log streams may hold at most. */
  limits: { total: number; stream: number };
  /** Whether a ready connection exists right now. */
  isConnected: boolean;
}

/** "host-name (address:port)": how every message names a host. */
export function describeTarget(target: Pick<SshTarget, "name" | "address" | "port">): string {
  return `${target.name} (${target.address}:${target.port})`;
}
