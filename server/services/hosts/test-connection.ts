import type { SshTarget } from "@/server/adapters/ssh/types";
import { createSshHostTransport, type HostTransport } from "./transport";

export interface ConnectionTestResult {
  /** Median of a few SSH round trips on the pooled connection, in ms. */
  latencyMs: number;
  /** PRETTY_NAME from /etc/os-release, e.g. "Debian GNU/Linux 12 (bookworm)". */
  os: string;
  /** `uname -sr`, e.g. "Linux 6.1.0-18-amd64". */
  kernel: string;
  dockerVersion: string;
  dockerApiVersion: string;
}

const PING_SAMPLES = 5;

/**
 * Check that the panel can use the host: SSH connects (host key pinned, key accepted), commands
 * run, and the Docker Engine answers over the socket. Retries at once even if a recent connect
 * failed (an explicit test bypasses the backoff). Throws the first failure, mapped.
 */
export async function testConnection(
  target: SshTarget,
  transport: HostTransport = createSshHostTransport(),
): Promise<ConnectionTestResult> {
  await transport.connect(target, { force: true });
  const samples: number[] = [];
  for (let i = 0; i < PING_SAMPLES; i += 1) samples.push(await transport.ping(target));

  const [osRelease, uname, version] = await Promise.all([
    transport.exec(target, ["cat", "/etc/os-release"], { timeoutMs: 10_000, throwOnNonZero: false, action: "read /etc/os-release" }),
    transport.exec(target, ["uname", "-sr"], { timeoutMs: 10_000, action: "read the kernel version" }),
    transport.docker(target).version({ action: "read the Docker version" }),
  ]);

  return {
    latencyMs: Math.round(median(samples) * 10) / 10,
    os: parseOsRelease(osRelease.exitCode === 0 ? osRelease.stdout : "") ?? "unknown",
    kernel: uname.stdout.trim(),
    dockerVersion: version.Version,
    dockerApiVersion: version.ApiVersion,
  };
}

/** PRETTY_NAME (or NAME VERSION) from os-release text; handles quoted and unquoted values. */
export function parseOsRelease(text: string): string | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, key, raw] = match;
    if (!key || raw === undefined) continue;
    fields.set(key, raw.replace(/^(["'])(.*)\1$/, "$2").replace(/\\(["$`\\])/g, "$1"));
  }
  return fields.get("PRETTY_NAME") ?? ([fields.get("NAME"), fields.get("VERSION")].filter(Boolean).join(" ") || undefined);
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
