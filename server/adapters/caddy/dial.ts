import { AppError } from "@/server/errors";

const MAX_UPSTREAMS = 16;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOSTNAME_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Whether `dial` is `host:port` with an IPv4 address or DNS name and a port 1..65535. */
export function isValidDial(dial: string): boolean {
  const match = /^([^:\s]+):(\d{1,5})$/.exec(dial);
  if (!match) return false;
  const host = match[1] ?? "";
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return false;
  if (/^[\d.]+$/.test(host)) return IPV4.test(host);
  return host.length <= 253 && host.split(".").every((label) => HOSTNAME_LABEL.test(label));
}

/**
 * Throw BAD_REQUEST unless `dials` is a non-empty list of distinct valid `host:port` addresses.
 * Security: these strings become Caddy config; placeholders (`{…}`), unix sockets, network
 * prefixes (`tcp/`) and anything else Caddy would interpret are refused, not escaped.
 */
export function assertValidDials(dials: readonly unknown[]): asserts dials is string[] {
  if (!Array.isArray(dials) || dials.length === 0) {
    throw new AppError("BAD_REQUEST", "Give the proxy at least one upstream address (host:port, e.g. 127.0.0.1:4001).");
  }
  if (dials.length > MAX_UPSTREAMS) {
    throw new AppError("BAD_REQUEST", `At most ${MAX_UPSTREAMS} upstream addresses, got ${dials.length}.`);
  }
  for (const dial of dials) {
    if (typeof dial !== "string" || !isValidDial(dial)) {
      const shown = typeof dial === "string" ? `"${dial.slice(0, 80)}"` : String(typeof dial);
      throw new AppError(
        "BAD_REQUEST",
        `${shown} is not a valid upstream address: use host:port with an IPv4 address or host name and a port from 1 to 65535, e.g. 127.0.0.1:4001.`,
      );
    }
  }
  if (new Set(dials).size !== dials.length) {
    throw new AppError("BAD_REQUEST", `The upstream addresses contain duplicates: ${dials.join(", ")}.`);
  }
}

/** Throw BAD_REQUEST unless `id` is safe to put in an `/id/<id>` admin path. */
export function assertValidUpstreamId(id: string): void {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(id)) {
    throw new AppError("BAD_REQUEST", `"${id.slice(0, 80)}" is not a valid Caddy @id: use letters, digits, "_", "." and "-".`);
  }
}
