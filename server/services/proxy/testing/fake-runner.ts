/** Test helper: a ProxyRunner answering from a function, recording every argv (and stdin). */
import type { ProxyCommandResult, ProxyRunner } from "../proxy-runner";

export interface FakeRunner extends ProxyRunner {
  calls: { argv: string[]; stdin?: string }[];
}

export function createFakeRunner(
  answer: (argv: string[], stdin: string | undefined) => Partial<ProxyCommandResult>,
  where = "in container pxlfox-proxy on app",
): FakeRunner {
  const calls: FakeRunner["calls"] = [];
  return {
    where,
    calls,
    async run(argv, options = {}) {
      calls.push({ argv: [...argv], stdin: options.stdin });
      return { exitCode: 0, stdout: "", stderr: "", ...answer([...argv], options.stdin) };
    },
  };
}
