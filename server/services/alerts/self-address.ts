import os from "node:os";
import { AppError } from "@/server/errors";

/** Where this panel listens: its port and every name/address that reaches it. */
export interface SelfAddress {
  port: number | null;
  hosts: Set<string>;
}

/** The running panel's own address, from Next's PORT/__NEXT_PRIVATE_ORIGIN and the machine's interfaces. */
export function readSelfAddress(env: Record<string, string | undefined> = process.env): SelfAddress {
  const hosts = new Set(["localhost", "0.0.0.0", "::", "::1", "[::1]", "127.0.0.1", os.hostname().toLowerCase()]);
  for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) hosts.add(i.address);
  let port = Number(env.PORT) || null;
  if (env.__NEXT_PRIVATE_ORIGIN) {
    try {
      const u = new URL(env.__NEXT_PRIVATE_ORIGIN);
      hosts.add(u.hostname.toLowerCase());
      port ??= Number(u.port) || null;
    } catch {
      /* not a URL: ignore */
    }
  }
  return { port, hosts };
}

/**
 * Security: refuse a webhook that points back at the panel (its own host and port): an alert
 * must not make the panel call its own API, which would loop or act with the panel's reach.
 */
export function assertNotSelf(url: string, self: SelfAddress = readSelfAddress()): void {
  const u = new URL(url);
  const port = Number(u.port) || (u.protocol === "https:" ? 443 : 80);
  const host = u.hostname.toLowerCase();
  const isLoopback = /^127\./.test(host) || host === "[::1]" || host === "localhost";
  if (self.port !== null && port === self.port && (self.hosts.has(host) || isLoopback)) {
    throw new AppError("BAD_REQUEST", `The webhook URL points at this panel itself (${u.host}); use the receiver's own address.`, {
      data: { field: "url" },
    });
  }
}
