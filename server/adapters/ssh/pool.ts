import { recordExitStatus } from "./exec-channel";
import type { Client, ClientChannel } from "ssh2";
import { AppError } from "@/server/errors";
import { openSshConnection, type ConnectSettings } from "./connect";
import { mapSshError } from "./map-ssh-error";
import { backoffError, connectionKey, promisifyChannel, type ConnectFailure } from "./pool-support";
import { ChannelBudget } from "./channel-budget";
import { channelWaitTimeout } from "./channel-wait-error";
import { describeTarget, type ChannelPurpose, type SshHostStats, type SshTarget } from "./types";

export interface SshPoolOptions {
  /** Connect + handshake + auth must finish within this (default 10 s). */
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Concurrent channels per connection; more requests queue (default 8, below sshd's MaxSessions 10). */
  maxChannels?: number;
  /**
   * Of those, how many log streams (purpose "stream") may hold at most (default 3, and always at
   * least one fewer than maxChannels when it allows), so operations keep the rest.
   */
  maxStreamChannels?: number;
  /** How long an operation waits for a free channel before failing (default 60 s). */
  operationWaitMs?: number;
  /** How long a log stream waits for a free channel before failing (default 10 s). */
  streamWaitMs?: number;
  /**
   * A channel open the host does not answer within this (default 15 s) means the connection is stuck
   * (a link that stalls, not one that resets): the call fails saying so and the connection is dropped,
   * so the next call reconnects instead of every caller waiting for the keepalive to give up (~30 s).
   */
  channelOpenTimeoutMs?: number;
  /** Backoff after a failed connect: starts here, doubles per failure, capped (0.5 s → 30 s). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Seam for unit tests. */
  createClient?: () => Client;
}

/**
 * Adapter-specific reading of a channel-open failure (e.g. "connect failed" on a stream-local
 * forward means the Docker socket is missing). Return undefined to fall back to mapSshError.
 */
export type ChannelErrorMapper = (err: unknown) => AppError | undefined;

/** Any ssh2 channel-like stream we hand out: released from the cap when it emits "close". */
type Channel = NodeJS.EventEmitter & { destroy?: () => void };

/** How a channel is opened: its slot class (default "operation") and how its open failure reads. */
export interface ChannelOptions {
  purpose?: ChannelPurpose;
  mapOpenError?: ChannelErrorMapper;
  /**
   * sshd answers this kind of open at once (a session, a unix socket), so silence means a stuck
   * connection (see channelOpenTimeoutMs). Not for TCP forwards: sshd answers those only once its own
   * connect ends, which a firewall that drops packets makes take minutes on a healthy connection.
   */
  answersAtOnce?: boolean;
}

interface HostEntry {
  configKey: string;
  client?: Client;
  connecting?: Promise<Client>;
  failure?: ConnectFailure;
  budget: ChannelBudget;
  connectionsOpened: number;
  connectAttempts: number;
}

/**
 * One SSH connection per host, shared by exec, Docker (stream-local forwards) and TCP tunnels.
 * Connections open lazily and reopen lazily after a drop; concurrent callers share one pending
 * connect; failed connects back off (0.5 s → 30 s) unless the caller forces a retry. Channels are
 * capped per connection and split by purpose (see ChannelBudget): log streams can never take the
 * channels that deploys, backups and health checks need, and no request waits for a slot for ever.
 */
export class SshPool {
  private readonly entries = new Map<string, HostEntry>();
  private readonly closeListeners = new Set<(hostId: string) => void>();
  private readonly settings: Required<Omit<SshPoolOptions, "createClient">> & Pick<SshPoolOptions, "createClient">;

  constructor(options: SshPoolOptions = {}) {
    this.settings = {
      readyTimeoutMs: options.readyTimeoutMs ?? 10_000,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 10_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      maxChannels: options.maxChannels ?? 8,
      maxStreamChannels: options.maxStreamChannels ?? Math.max(1, Math.min(3, (options.maxChannels ?? 8) - 1)),
      operationWaitMs: options.operationWaitMs ?? 60_000,
      streamWaitMs: options.streamWaitMs ?? 10_000,
      channelOpenTimeoutMs: options.channelOpenTimeoutMs ?? 15_000,
      backoffInitialMs: options.backoffInitialMs ?? 500,
      backoffMaxMs: options.backoffMaxMs ?? 30_000,
      createClient: options.createClient,
    };
    // Fail here on a bad cap, not on the first channel.
    new ChannelBudget(this.settings.maxChannels, this.settings.maxStreamChannels);
  }

  /** Ready connection for `target`, opening one if needed. `force` skips the failure backoff. */
  async connect(target: SshTarget, options: { force?: boolean; action?: string } = {}): Promise<Client> {
    const entry = this.entryFor(target);
    if (entry.client) return entry.client;
    if (entry.connecting) return entry.connecting;
    const { failure } = entry;
    if (failure && !options.force && Date.now() < failure.retryAt) throw backoffError(target, failure);

    entry.connectAttempts += 1;
    const connectSettings: ConnectSettings = {
      readyTimeoutMs: this.settings.readyTimeoutMs,
      keepaliveIntervalMs: this.settings.keepaliveIntervalMs,
      keepaliveCountMax: this.settings.keepaliveCountMax,
      createClient: this.settings.createClient,
    };
    const pending = openSshConnection(target, connectSettings, options.action).then(
      (client) => {
        if (this.entries.get(target.hostId) !== entry) {
          client.end(); // invalidated (closeHost / config change) while connecting
          throw new AppError(
            "HOST_UNREACHABLE",
            `The SSH connection to ${describeTarget(target)} was closed while it was opening. Retry.`,
            { host: target.name },
          );
        }
        entry.client = client;
        entry.failure = undefined;
        entry.connectionsOpened += 1;
        this.watch(target.hostId, entry, client);
        return client;
      },
      (err: unknown) => {
        const error = mapSshError(err, { target, action: options.action ?? "open SSH connection" });
        const attempts = (entry.failure?.attempts ?? 0) + 1;
        const delay = Math.min(this.settings.backoffInitialMs * 2 ** (attempts - 1), this.settings.backoffMaxMs);
        entry.failure = { error, at: Date.now(), retryAt: Date.now() + delay, attempts };
        throw error;
      },
    );
    entry.connecting = pending;
    try {
      return await pending;
    } finally {
      if (entry.connecting === pending) entry.connecting = undefined;
    }
  }

  /**
   * Open a channel with `open` on the pooled connection, within the channel cap of its purpose
   * (see ChannelBudget). The slot is held until the channel emits "close". Waiting for a slot ends
   * after operationWaitMs / streamWaitMs with HOST_TIMEOUT saying what holds the slots. If the
   * connection dropped before the channel opened (so nothing ran), reconnect and try once more.
   */
  async openChannel<T extends Channel>(
    target: SshTarget,
    action: string,
    open: (client: Client) => Promise<T>,
    options: ChannelOptions = {},
  ): Promise<T> {
    const entry = this.entryFor(target);
    const purpose = options.purpose ?? "operation";
    const timeoutMs = purpose === "stream" ? this.settings.streamWaitMs : this.settings.operationWaitMs;
    const release = await entry.budget.acquire(purpose, {
      timeoutMs,
      onTimeout: () => channelWaitTimeout(target, action, purpose, timeoutMs, entry.budget),
    });
    try {
      for (let attempt = 0; ; attempt += 1) {
        const client = await this.connect(target, { action });
        try {
          const channel = options.answersAtOnce ? await this.openWithin(target, entry, client, action, open) : await open(client);
          channel.once("close", release);
          return channel;
        } catch (err) {
          const dropped = entry.client !== client;
          if (!dropped || attempt > 0 || (err instanceof AppError && err.code === "HOST_TIMEOUT")) throw err;
        }
      }
    } catch (err) {
      release();
      throw options.mapOpenError?.(err) ?? mapSshError(err, { target, action });
    }
  }

  /** `open(client)`, unless the host leaves it unanswered for channelOpenTimeoutMs: then the connection is dropped as stuck. */
  private openWithin<T extends Channel>(
    target: SshTarget,
    entry: HostEntry,
    client: Client,
    action: string,
    open: (client: Client) => Promise<T>,
  ): Promise<T> {
    const limitMs = this.settings.channelOpenTimeoutMs;
    const pending = open(client);
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // A channel that opens after all is closed at once: its caller has been told it failed.
        pending.then(
          (late) => late.destroy?.(),
          () => undefined,
        );
        if (entry.client === client) {
          entry.client = undefined;
          this.notifyClosed(target.hostId);
        }
        (client as Client & { destroy?: () => void }).destroy?.();
        reject(
          new AppError(
            "HOST_TIMEOUT",
            `Could not ${action} on ${describeTarget(target)}: the host did not answer for ${limitMs / 1000} s on an open SSH connection (the link may be down or stalled, or the host overloaded). That connection was closed; the next call reconnects.`,
            { host: target.name, action, data: { reason: "channel-open-timeout", timeoutMs: limitMs } },
          ),
        );
      }, limitMs);
    });
    return Promise.race([pending, stuck]).finally(() => clearTimeout(timer));
  }

  /** Open a session channel running `command` (already quoted). */
  exec(
    target: SshTarget,
    command: string,
    options: { env?: Record<string, string>; action: string; purpose?: ChannelPurpose },
  ): Promise<ClientChannel> {
    return this.openChannel(
      target,
      options.action,
      (client) =>
        promisifyChannel<ClientChannel>((cb) =>
          client.exec(command, { env: options.env as NodeJS.ProcessEnv | undefined }, (err, channel) => {
            if (channel) recordExitStatus(channel);
            cb(err, channel);
          }),
        ),
      { purpose: options.purpose, answersAtOnce: true },
    );
  }

  /** Direct TCP forward to `remoteHost:remotePort` as seen from the host. */
  forwardOut(
    target: SshTarget,
    remoteHost: string,
    remotePort: number,
    action: string,
    mapOpenError?: ChannelErrorMapper,
    options: { purpose?: ChannelPurpose } = {},
  ): Promise<ClientChannel> {
    return this.openChannel(
      target,
      action,
      (client) => promisifyChannel<ClientChannel>((cb) => client.forwardOut("127.0.0.1", 0, remoteHost, remotePort, cb)),
      { purpose: options.purpose, mapOpenError },
    );
  }

  /** OpenSSH stream-local forward to a unix socket on the host (direct-streamlocal@openssh.com). */
  forwardOutStreamLocal(
    target: SshTarget,
    socketPath: string,
    action: string,
    mapOpenError?: ChannelErrorMapper,
    options: { purpose?: ChannelPurpose } = {},
  ): Promise<ClientChannel> {
    return this.openChannel(
      target,
      action,
      (client) => promisifyChannel<ClientChannel>((cb) => client.openssh_forwardOutStreamLocal(socketPath, cb)),
      { purpose: options.purpose, mapOpenError, answersAtOnce: true },
    );
  }

  /** Forget a remembered connect failure so the next call connects at once. */
  reset(hostId: string): void {
    const entry = this.entries.get(hostId);
    if (entry) entry.failure = undefined;
  }

  /** Close the host's connection (open channels close with it) and forget its state. */
  closeHost(hostId: string): void {
    const entry = this.entries.get(hostId);
    if (!entry) return;
    this.entries.delete(hostId);
    this.dispose(hostId, entry);
  }

  closeAll(): void {
    for (const hostId of [...this.entries.keys()]) this.closeHost(hostId);
  }

  /** Counters for tests and the health view. */
  stats(hostId: string): SshHostStats {
    const entry = this.entries.get(hostId);
    const none = { open: 0, queued: 0 };
    return {
      connectionsOpened: entry?.connectionsOpened ?? 0,
      connectAttempts: entry?.connectAttempts ?? 0,
      channelsOpen: entry?.budget.active ?? 0,
      queued: entry?.budget.queued ?? 0,
      byPurpose: { stream: entry?.budget.count("stream") ?? none, operation: entry?.budget.count("operation") ?? none },
      limits: { total: this.settings.maxChannels, stream: this.settings.maxStreamChannels },
      isConnected: Boolean(entry?.client),
    };
  }

  /** Called whenever a host's connection goes away (drop, close, config change). */
  onConnectionClosed(listener: (hostId: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  private entryFor(target: SshTarget): HostEntry {
    const configKey = connectionKey(target);
    const existing = this.entries.get(target.hostId);
    if (existing?.configKey === configKey) return existing;
    if (existing) {
      // Security: address, user, key or pinned fingerprint changed: never reuse a connection
      // (or a remembered failure) that was made under the old settings.
      this.entries.delete(target.hostId);
      this.dispose(target.hostId, existing);
    }
    const entry: HostEntry = {
      configKey,
      budget: new ChannelBudget(this.settings.maxChannels, this.settings.maxStreamChannels),
      connectionsOpened: existing?.connectionsOpened ?? 0,
      connectAttempts: existing?.connectAttempts ?? 0,
    };
    this.entries.set(target.hostId, entry);
    return entry;
  }

  private watch(hostId: string, entry: HostEntry, client: Client): void {
    const onGone = () => {
      if (entry.client !== client) return;
      entry.client = undefined;
      this.notifyClosed(hostId);
    };
    // A dropped connection is noticed here (keepalive timeout, reset); the next call reconnects.
    client.on("error", onGone);
    client.once("end", onGone);
    client.once("close", onGone);
  }

  private dispose(hostId: string, entry: HostEntry): void {
    entry.budget.rejectQueued(
      new AppError("HOST_UNREACHABLE", `The SSH connection for host ${hostId} was closed while the request waited for a channel. Retry.`, {
        host: hostId,
      }),
    );
    const client = entry.client;
    entry.client = undefined;
    entry.connecting?.then(
      (c) => c.end(),
      () => undefined,
    );
    if (client) client.end();
    this.notifyClosed(hostId);
  }

  private notifyClosed(hostId: string): void {
    for (const listener of this.closeListeners) listener(hostId);
  }
}

const POOL_KEY = Symbol.for("pixelfox.sshPool");

/** The process-wide pool (kept on globalThis so Next.js dev reloads reuse it). */
export function getSshPool(): SshPool {
  const store = globalThis as unknown as Record<symbol, SshPool | undefined>;
  store[POOL_KEY] ??= new SshPool();
  return store[POOL_KEY];
}
