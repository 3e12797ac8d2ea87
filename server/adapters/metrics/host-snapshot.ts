import { execCommand } from "@/server/adapters/ssh/exec";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { pooledTransport, type ProbeTransport } from "./transport";

/** Raw text read from a host for its CPU, load, memory and disk figures (parsed by the health service). */
export interface HostSnapshotText {
  /** /proc/stat, /proc/loadavg and /proc/meminfo, concatenated. */
  procFirst: string;
  /** /proc/stat again, `sampleMs` later: CPU use is the difference ("" when `sampleMs` is 0). */
  statSecond: string;
  dfBlocks: string;
  dfInodes: string;
  /** Wall time between the two /proc/stat reads. */
  sampleMs: number;
}

const COMMAND_TIMEOUT_MS = 10_000;

/**
 * Read /proc and df over SSH. Every command is a fixed argument array (no input from anyone), run
 * through `execCommand`; df's exit code is ignored because one unreadable mount makes it exit 1.
 */
export async function readHostSnapshot(target: SshTarget, options: { transport?: ProbeTransport; sampleMs?: number } = {}): Promise<HostSnapshotText> {
  const transport = options.transport ?? pooledTransport();
  const sampleMs = options.sampleMs ?? 1000;
  const run = (argv: string[], action: string) =>
    transport.use((pool) => execCommand(target, argv, { pool, timeoutMs: COMMAND_TIMEOUT_MS, throwOnNonZero: false, action })).then((r) => r.stdout);
  let firstAt = 0;
  const [first, dfBlocks, dfInodes] = await Promise.all([
    run(["cat", "/proc/stat", "/proc/loadavg", "/proc/meminfo"], "read /proc").then((text) => {
      firstAt = performance.now();
      return text;
    }),
    run(["df", "-P", "-k"], "read disk usage"),
    run(["df", "-P", "-i"], "read inode usage"),
  ]);
  if (sampleMs <= 0) return { procFirst: first, statSecond: "", dfBlocks, dfInodes, sampleMs: 0 };
  const wait = sampleMs - (performance.now() - firstAt);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const statSecond = await run(["cat", "/proc/stat"], "read /proc/stat");
  return { procFirst: first, statSecond, dfBlocks, dfInodes, sampleMs: Math.round(performance.now() - firstAt) };
}
