import net from "node:net";
import { AppError } from "@/server/errors";
import { getSshPool, type SshPool } from "@/server/adapters/ssh/pool";
import { describeTarget, type ChannelPurpose, type SshTarget } from "@/server/adapters/ssh/types";

/** SSH_MSG_CHANNEL_OPEN_FAILURE reason codes (RFC 4254 §5.1). */
const OPEN_ADMINISTRATIVELY_PROHIBITED = 1;
const OPEN_CONNECT_FAILED = 2;

export interface Tunnel {
  /** Always 127.0.0.1: the tunnel is never reachable from other machines. */
  localHost: "127.0.0.1";
  localPort: number;
  /** The last failure to open a forward (clients only see a reset; this says why). */
  readonly lastError: AppError | undefined;
  /** Stop accepting, close every piped connection; resolves when the listener is closed. */
  close(): Promise<void>;
}

export interface TunnelOptions {
  pool?: SshPool;
  /** Which channel slots the forwards may use (default "operation": MySQL, Redis, Caddy, health probes). */
  purpose?: ChannelPurpose;
}

/**
 * Make `remoteHost:remotePort` (remoteHost defaults to 127.0.0.1), as seen from the host (usually its loopback: MySQL, Redis,
 * Caddy's admin API, the app), reachable on a local 127.0.0.1 port. Each local connection is one
 * direct-tcpip channel on the pooled SSH connection. The SSH connection is opened (and the host
 * key checked) before the tunnel is returned, so connection errors surface here.
 */
export async function openTunnel(target: SshTarget, remotePort: number, options?: TunnelOptions): Promise<Tunnel>;
export async function openTunnel(target: SshTarget, remoteHost: string, remotePort: number, options?: TunnelOptions): Promise<Tunnel>;
export async function openTunnel(
  target: SshTarget,
  hostOrPort: string | number,
  portOrOptions?: number | TunnelOptions,
  maybeOptions: TunnelOptions = {},
): Promise<Tunnel> {
  const remoteHost = typeof hostOrPort === "string" ? hostOrPort : "127.0.0.1";
  const remotePort = typeof hostOrPort === "number" ? hostOrPort : portOrOptions;
  const options = (typeof portOrOptions === "object" ? portOrOptions : maybeOptions) ?? {};
  if (typeof remotePort !== "number" || !Number.isInteger(remotePort) || remotePort < 1 || remotePort > 65535) {
    throw new AppError("BAD_REQUEST", `Tunnel port must be a whole number between 1 and 65535, got ${String(remotePort)}.`);
  }
  const pool = options.pool ?? getSshPool();
  const action = `open a tunnel to ${remoteHost}:${remotePort}`;
  await pool.connect(target, { action });

  const sockets = new Set<net.Socket>();
  let lastError: AppError | undefined;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.pause();
    pool
      .forwardOut(target, remoteHost, remotePort, action, (err) => mapForwardOpenError(err, target, remoteHost, remotePort), {
        purpose: options.purpose,
      })
      .then((channel) => {
        if (socket.destroyed) {
          channel.close();
          return;
        }
        channel.on("error", () => socket.destroy());
        channel.once("close", () => socket.destroy());
        // The channel only emits "close" (which frees its slot in the pool's channel cap) once its
        // readable side has ended: drain what the remote still sends, then destroy it.
        socket.once("close", () => {
          channel.unpipe(socket);
          channel.resume();
          channel.close();
          channel.destroy();
        });
        socket.pipe(channel).pipe(socket);
        socket.resume();
      })
      .catch((err: AppError) => {
        // The client only sees a reset; keep the reason for withTunnel / the caller.
        lastError = err;
        socket.destroy();
      });
  });

  // Security: listen on loopback only, on an ephemeral port.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.removeListener("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") {
    server.close();
    throw new AppError("INTERNAL", "The local tunnel listener has no TCP port.");
  }

  let closing: Promise<void> | undefined;
  return {
    localHost: "127.0.0.1",
    localPort: address.port,
    get lastError() {
      return lastError;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** Run `fn` with a tunnel to the host's 127.0.0.1:`remotePort`, closing it afterwards. */
export async function withTunnel<T>(
  target: SshTarget,
  remotePort: number,
  fn: (tunnel: Tunnel) => Promise<T>,
  options: TunnelOptions & { remoteHost?: string } = {},
): Promise<T> {
  const tunnel = await openTunnel(target, options.remoteHost ?? "127.0.0.1", remotePort, options);
  try {
    return await fn(tunnel);
  } catch (err) {
    // A client error like ECONNRESET usually hides the real cause: a refused forward.
    throw tunnel.lastError ?? err;
  } finally {
    await tunnel.close();
  }
}

/**
 * Open a single forwarded stream to `remoteHost:remotePort` (no local listener): for clients
 * that accept a ready socket. Mapped errors say whether anything listens on the remote port.
 */
export async function openForwardedStream(target: SshTarget, remoteHost: string, remotePort: number, options: TunnelOptions = {}) {
  const pool = options.pool ?? getSshPool();
  return pool.forwardOut(
    target,
    remoteHost,
    remotePort,
    `connect to ${remoteHost}:${remotePort}`,
    (err) => mapForwardOpenError(err, target, remoteHost, remotePort),
    { purpose: options.purpose },
  );
}

/** Read a failed direct-tcpip channel open. */
export function mapForwardOpenError(err: unknown, target: SshTarget, remoteHost: string, remotePort: number): AppError | undefined {
  const e = err as { reason?: unknown; message?: unknown } | null;
  const message = typeof e?.message === "string" ? e.message : "";
  if (!/channel open failure/i.test(message)) return undefined;
  const host = describeTarget(target);
  const action = `connect to ${remoteHost}:${remotePort}`;
  const details = { host: target.name, action, data: { remoteHost, remotePort }, cause: err };
  if (e?.reason === OPEN_ADMINISTRATIVELY_PROHIBITED) {
    return new AppError(
      "REMOTE_FAILED",
      `sshd on ${host} refused to forward to ${remoteHost}:${remotePort} (administratively prohibited). Set "AllowTcpForwarding yes" (or a PermitOpen that allows it) in the host's sshd_config.`,
      details,
    );
  }
  if (e?.reason === OPEN_CONNECT_FAILED || /open failed|connect failed/i.test(message)) {
    return new AppError(
      "HOST_UNREACHABLE",
      `Nothing accepted a connection on ${remoteHost}:${remotePort} on ${host}: is the service running and listening on that address and port?`,
      details,
    );
  }
  return undefined;
}
