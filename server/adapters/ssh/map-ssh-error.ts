import ssh2 from "ssh2";
import { AppError, isAppError } from "@/server/errors";
import { redactPatterns } from "@/server/redact";
import { computeFingerprint } from "./fingerprint";
import { describeTarget, type SshTarget } from "./types";

export interface SshErrorContext {
  target: Pick<SshTarget, "name" | "address" | "port" | "username"> & { privateKey?: string };
  /** What the panel was doing, e.g. "open SSH connection", "list containers". */
  action: string;
  /** Connect timeout in force, quoted in timeout messages. */
  timeoutMs?: number;
}

const UNREACHABLE_CODES = new Set(["EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EADDRNOTAVAIL"]);
const DROPPED_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

/**
 * Translate anything thrown by ssh2 or the socket below it into an AppError that names the
 * host, the action, and what to do next. AppErrors pass through unchanged.
 */
export function mapSshError(err: unknown, ctx: SshErrorContext): AppError {
  if (isAppError(err)) return err;
  const { target, action } = ctx;
  const host = describeTarget(target);
  const endpoint = `${target.address}:${target.port}`;
  const e = (err ?? {}) as { code?: unknown; message?: unknown; level?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : String(err);
  const details = { host: target.name, action, cause: err };
  const fail = (c: ConstructorParameters<typeof AppError>[0], text: string, data?: Record<string, unknown>) =>
    new AppError(c, `Could not ${action} on ${host}: ${text}`, {
      ...details,
      data: { address: target.address, port: target.port, ...data },
    });

  if (code === "ECONNREFUSED") {
    return fail("HOST_UNREACHABLE", `connection refused on ${endpoint} — is sshd running / is the port right?`, { reason: "refused" });
  }
  if (UNREACHABLE_CODES.has(code)) {
    const why =
      code === "ENOTFOUND" || code === "EAI_AGAIN" ? `the name ${target.address} does not resolve` : `no route to ${target.address}`;
    return fail("HOST_UNREACHABLE", `${why} (${code}). Check the host's address and that it is up and reachable from the panel.`, {
      reason: code,
    });
  }
  if (code === "ETIMEDOUT" || /timed out while waiting for handshake/i.test(message)) {
    const after = ctx.timeoutMs ? ` within ${Math.round(ctx.timeoutMs / 100) / 10} s` : "";
    return fail(
      "HOST_TIMEOUT",
      `no SSH handshake from ${endpoint}${after}. The host may be down, or a firewall drops port ${target.port}; check the address and firewall.`,
      { reason: "timeout" },
    );
  }
  if (e.level === "client-timeout" || /keepalive timeout/i.test(message)) {
    return fail(
      "HOST_TIMEOUT",
      "the host stopped answering SSH keepalives and the connection was dropped. Check that the host is up; the next request reconnects.",
      { reason: "keepalive" },
    );
  }
  if (/all configured authentication methods failed/i.test(message)) {
    return fail(
      "HOST_AUTH_FAILED",
      `user ${target.username} was refused: the private key is not authorized on the host. Add the panel's public key to ~${target.username}/.ssh/authorized_keys on the host, or check the SSH user.`,
      { username: target.username, clientKeyFingerprint: clientKeyFingerprint(target.privateKey) },
    );
  }
  if (
    /cannot parse privatekey|does not contain a \(valid\) private key|unsupported key format|encrypted private openssh key/i.test(message)
  ) {
    return new AppError(
      "BAD_REQUEST",
      `Could not ${action} on ${host}: the stored SSH private key is not a usable unencrypted OpenSSH or PEM private key (${redactPatterns(message)}). Paste the key again.`,
      details,
    );
  }
  if (DROPPED_CODES.has(code) || /connection lost before handshake/i.test(message)) {
    return fail(
      "HOST_UNREACHABLE",
      `${endpoint} closed the connection before the SSH handshake finished (${code || message}). Check that sshd runs on that port and does not reject the panel's address.`,
      { reason: "closed" },
    );
  }
  if (/no response from server|not connected|connection closed/i.test(message)) {
    return fail(
      "HOST_UNREACHABLE",
      "the SSH connection dropped while the request was in flight. Retry; if it keeps happening, check the host's network and sshd logs.",
      { reason: "dropped" },
    );
  }
  if (/host denied \(verification failed\)/i.test(message)) {
    return fail("HOST_KEY_MISMATCH", "the host key was refused. Nothing was sent; verify the host's fingerprint before re-pinning.");
  }
  if (/channel open failure/i.test(message)) {
    return fail(
      "REMOTE_FAILED",
      `the host refused to open an SSH channel (${message}). Check sshd's MaxSessions and forwarding settings.`,
      { reason: "channel" },
    );
  }
  return new AppError("INTERNAL", `Could not ${action} on ${host}: unexpected SSH error (${redactPatterns(message)}).`, details);
}

function clientKeyFingerprint(privateKey: string | undefined): string | undefined {
  if (!privateKey) return undefined;
  try {
    const parsed = ssh2.utils.parseKey(privateKey);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || key instanceof Error) return undefined;
    return computeFingerprint(key.getPublicSSH());
  } catch {
    return undefined;
  }
}
