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
  /** Every Docker container's cgroup CPU and memory counters, read with `procFirst` (see CGROUPS_SCRIPT). */
  cgroupsFirst: string;
  /** The same, read with `statSecond` ("" when `sampleMs` is 0). */
  cgroupsSecond: string;
  /** Wall time between the two /proc/stat reads. */
  sampleMs: number;
}

const COMMAND_TIMEOUT_MS = 10_000;
/** Separates the three reads in the one command's output (a line no /proc file or df prints). */
const MARK = "--pxf-snapshot-part--";
/**
 * The CPU and memory counters of every Docker container's cgroup (the counters dockerd's stats read),
 * printed as `cg <dir>` followed by `key value` lines; parsed by the health service. Reading them here
 * spares the Docker stats API, which waits for its collector's next tick (about 1 s on Docker 20.10,
 * one-shot or not). cgroup v2 (`systemd` or `cgroupfs` driver) and v1.
 */
const CGROUPS_SCRIPT = [
  "if [ -f /sys/fs/cgroup/cgroup.controllers ]; then",
  "  for d in /sys/fs/cgroup/system.slice/docker-*.scope /sys/fs/cgroup/docker/*; do",
  '    [ -f "$d/cpu.stat" ] || continue',
  '    echo "cg $d"; grep "^usage_usec " "$d/cpu.stat"; echo "current $(cat "$d/memory.current")"',
  '    grep "^inactive_file " "$d/memory.stat"; echo "max $(cat "$d/memory.max")"',
  "  done",
  "else",
  "  for d in /sys/fs/cgroup/cpuacct/docker/* /sys/fs/cgroup/cpuacct/system.slice/docker-*.scope; do",
  '    [ -f "$d/cpuacct.usage" ] || continue',
  '    m="/sys/fs/cgroup/memory/${d#/sys/fs/cgroup/cpuacct/}"',
  '    echo "cg $d"; echo "usage_ns $(cat "$d/cpuacct.usage")"; echo "usage_in_bytes $(cat "$m/memory.usage_in_bytes")"',
  '    grep "^total_inactive_file " "$m/memory.stat"; echo "limit_in_bytes $(cat "$m/memory.limit_in_bytes")"',
  "  done",
  "fi 2>/dev/null",
].join("\n");
/** One SSH channel for /proc, both df runs and the containers' cgroups (each channel costs the host an sshd session and a shell). */
const SNAPSHOT_SCRIPT = `cat /proc/stat /proc/loadavg /proc/meminfo; echo "$1"; df -P -k; echo "$1"; df -P -i; echo "$1"\n${CGROUPS_SCRIPT}`;
const SECOND_SCRIPT = `cat /proc/stat; echo "$1"\n${CGROUPS_SCRIPT}`;

/** The command's output cut back into its four parts; a part that is missing comes back empty. */
export function splitSnapshot(stdout: string): { proc: string; dfBlocks: string; dfInodes: string; cgroups: string } {
  const [proc = "", dfBlocks = "", dfInodes = "", cgroups = ""] = stdout.split(`${MARK}\n`);
  return { proc, dfBlocks, dfInodes, cgroups };
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
  const first = splitSnapshot(await run(["sh", "-c", SNAPSHOT_SCRIPT, "sh", MARK], "read /proc, disk usage and container cgroups"));
  const firstAt = performance.now();
  const { proc, dfBlocks, dfInodes } = first;
  if (sampleMs <= 0)
    return { procFirst: proc, statSecond: "", dfBlocks, dfInodes, cgroupsFirst: first.cgroups, cgroupsSecond: "", sampleMs: 0 };
  await new Promise((r) => setTimeout(r, sampleMs));
  const [statSecond = "", cgroupsSecond = ""] = (
    await run(["sh", "-c", SECOND_SCRIPT, "sh", MARK], "read /proc/stat and container cgroups")
  ).split(`${MARK}\n`);
  return {
    procFirst: proc,
    statSecond,
    dfBlocks,
    dfInodes,
    cgroupsFirst: first.cgroups,
    cgroupsSecond,
    sampleMs: Math.round(performance.now() - firstAt),
  };
}
