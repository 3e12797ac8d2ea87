/** Test helper: a ProxyRunner that runs argv on this machine (the real-binary tests). */
import { spawn } from "node:child_process";
import type { ProxyRunner } from "../proxy-runner";

export function createLocalRunner(options: { env?: NodeJS.ProcessEnv; cwd?: string; calls?: string[][] } = {}): ProxyRunner {
  return {
    where: "on this machine",
    run(argv, run = {}) {
      options.calls?.push([...argv]);
      return new Promise((resolve, reject) => {
        const child = spawn(argv[0]!, argv.slice(1), {
          env: options.env ?? process.env,
          cwd: options.cwd,
          stdio: [run.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout?.on("data", (c: Buffer) => out.push(c));
        child.stderr?.on("data", (c: Buffer) => err.push(c));
        child.on("error", reject);
        child.on("close", (code) =>
          resolve({ exitCode: code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
        );
        // A command may exit without reading its stdin: that is its answer, not a test failure.
        child.stdin?.on("error", () => undefined);
        child.stdin?.end(run.stdin);
      });
    },
  };
}
