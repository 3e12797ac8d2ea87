import http from "node:http";
import type { Duplex } from "node:stream";
import type { ClientChannel } from "ssh2";
import { AppError } from "@/server/errors";
import type { SshPool } from "@/server/adapters/ssh/pool";
import { describeTarget, type ChannelPurpose, type SshTarget } from "@/server/adapters/ssh/types";

/** SSH_MSG_CHANNEL_OPEN_FAILURE reason codes (RFC 4254 §5.1). */
const OPEN_ADMINISTRATIVELY_PROHIBITED = 1;
const OPEN_CONNECT_FAILED = 2;

/**
 * An http.Agent whose every connection is an OpenSSH stream-local forward to the host's Docker
 * socket on the pooled SSH connection, so dockerode talks to the remote Engine API directly.
 * Each open forward holds one of the connection's channel slots until it closes; `purpose` says
 * which slots (log streams use the "stream" ones, so they never take an operation's).
 */
export function createDockerAgent(target: SshTarget, pool: SshPool, purpose: ChannelPurpose = "operation"): http.Agent {
  // keepAlive off: an idle kept-alive socket would hold a channel slot for nothing.
  const agent = new http.Agent({ keepAlive: false });
  const action = purpose === "stream" ? "open a log stream through the Docker socket" : "reach the Docker socket";
  agent.createConnection = (_options, callback) => {
    pool
      .forwardOutStreamLocal(target, target.dockerSocket, action, (err) => mapDockerSocketOpenError(err, target), { purpose })
      .then(
        (channel) => callback?.(null, asSocket(channel)),
        (err: Error) => callback?.(err, undefined as unknown as Duplex),
      );
    return undefined;
  };
  return agent;
}

/** Read a failed stream-local channel open: a missing or dead socket, or forwarding disabled. */
export function mapDockerSocketOpenError(err: unknown, target: SshTarget): AppError | undefined {
  const e = err as { reason?: unknown; message?: unknown } | null;
  const message = typeof e?.message === "string" ? e.message : "";
  if (!/channel open failure/i.test(message)) return undefined;
  const host = describeTarget(target);
  const details = { host: target.name, action: "reach the Docker socket", data: { dockerSocket: target.dockerSocket }, cause: err };
  if (e?.reason === OPEN_ADMINISTRATIVELY_PROHIBITED) {
    return new AppError(
      "REMOTE_FAILED",
      `sshd on ${host} refused to forward to the Docker socket ${target.dockerSocket} (administratively prohibited). Set "AllowStreamLocalForwarding yes" in the host's sshd_config and restart sshd.`,
      details,
    );
  }
  if (e?.reason === OPEN_CONNECT_FAILED || /open failed|connect failed/i.test(message)) {
    return new AppError(
      "DOCKER_SOCKET_MISSING",
      `No Docker socket at ${target.dockerSocket} on ${host}: is Docker installed and running, and is the socket path right?`,
      details,
    );
  }
  return undefined;
}

/**
 * Give an ssh2 channel the few net.Socket methods Node's HTTP client may call on its socket.
 * Timeouts are enforced by the request, not the socket; keepalive/nodelay mean nothing here.
 */
function asSocket(channel: ClientChannel): Duplex {
  const socketLike = channel as unknown as Record<string, unknown>;
  for (const method of ["setTimeout", "setNoDelay", "setKeepAlive", "ref", "unref"]) {
    if (typeof socketLike[method] !== "function") {
      socketLike[method] = function (this: unknown) {
        return this;
      };
    }
  }
  return channel;
}
