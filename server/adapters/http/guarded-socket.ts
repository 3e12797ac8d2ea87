import net from "node:net";
import { assertHostLiteralAllowed, createGuardedLookup, type OutboundDeps, type OutboundPurpose } from "./outbound-guard";

/**
 * A TCP connection to an admin-given host and port (an SMTP server) through the outbound guard:
 * the host as written is checked first, then every address it resolves to, at connect time.
 * Rejects with the guard's AppError or the socket's error (ECONNREFUSED, ETIMEDOUT…).
 */
export function connectGuarded(
  host: string,
  port: number,
  purpose: OutboundPurpose,
  timeoutMs: number,
  deps: OutboundDeps = {},
): Promise<net.Socket> {
  const bare = host.replace(/^\[|\]$/g, "");
  try {
    assertHostLiteralAllowed(bare, port, purpose, deps);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: bare, port, lookup: createGuardedLookup(port, purpose, deps) });
    const timer = setTimeout(
      () => socket.destroy(Object.assign(new Error(`no connection to ${bare}:${port} within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
      timeoutMs,
    );
    const onError = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    socket.once("error", onError);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.off("error", onError);
      resolve(socket);
    });
  });
}
