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
/** Separates the three reads in the one command's output (a line no /proc file or df prints). */
const MARK = "--pxf-snapshot-part--";
/** One SSH channel for /proc and both df runs (each channel costs the host an sshd session and a shell). */
const SNAPSHOT_SCRIPT = 'cat /proc/stat /proc/loadavg /proc/meminfo; echo "$1"; df -P -k; echo "$1"; df -P -i';

/** The command's output cut back into its three parts; a part that is missing comes back empty. */
export function splitSnapshot(stdout: string): { proc: string; dfBlocks: string; dfInodes: string } {
  const [proc = "", dfBlocks = "", dfInodes = ""] = stdout.split(`${MARK}\n`);
  return { proc, dfBlocks, dfInodes };
}

/**
 * Read /proc and df over SSH. Every command is a fixed argument array (no input from anyone), run
 * through `execCommand`; df's exit code is ignored because one unreadable mount makes it exit 1.
 */
export async function readHostSnapshot(
  target: SshTarget,
  options: { transport?: ProbeTransport; sampleMs?: number } = {},
): Promise<HostSnapshotText> {
  const transport = options.transport ?? pooledTransport();
  const sampleMs = options.sampleMs ?? 1000;
  const run = (argv: string[], action: string) =>
    transport
      .use((pool) => execCommand(target, argv, { pool, timeoutMs: COMMAND_TIMEOUT_MS, throwOnNonZero: false, action }))
      .then((r) => r.stdout);
  const { proc, dfBlocks, dfInodes } = splitSnapshot(await run(["sh", "-c", SNAPSHOT_SCRIPT, "sh", MARK], "read /proc and disk usage"));
  const firstAt = performance.now();
  if (sampleMs <= 0) return { procFirst: proc, statSecond: "", dfBlocks, dfInodes, sampleMs: 0 };
  await new Promise((r) => setTimeout(r, sampleMs));
  const statSecond = await run(["cat", "/proc/stat"], "read /proc/stat");
  return { procFirst: proc, statSecond, dfBlocks, dfInodes, sampleMs: Math.round(performance.now() - firstAt) };
}
