import { execCommand } from "@/server/adapters/ssh/exec";
import type { SshPool } from "@/server/adapters/ssh/pool";
import type { SshTarget } from "@/server/adapters/ssh/types";
import type { ProxyRunner } from "./proxy-runner";

/** Runs commands on the host itself over the pooled SSH connection (a proxy installed on the host). */
export function createSshRunner(target: SshTarget, options: { pool?: SshPool; timeoutMs?: number } = {}): ProxyRunner {
  const where = `on ${target.name}`;
  return {
    where,
    async run(argv, run = {}) {
      // Security: execCommand quotes every word (quoteArgv); nothing here builds a command string.
      const r = await execCommand(target, argv, {
        pool: options.pool,
        timeoutMs: options.timeoutMs,
        stdin: run.stdin,
        action: run.action,
        throwOnNonZero: false,
      });
      return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    },
  };
}
