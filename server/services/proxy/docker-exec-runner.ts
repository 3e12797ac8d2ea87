import { Readable, Writable } from "node:stream";
import type { DockerClient } from "@/server/adapters/docker/types";
import { AppError } from "@/server/errors";
import type { ProxyRunner } from "./proxy-runner";

/** Config dumps (`nginx -T`, `caddy adapt`) stay far below this; more is cut, not buffered without end. */
const MAX_STDOUT_BYTES = 4 * 1024 * 1024;

/** Runs commands in the proxy's container (`docker exec` through the host's Docker Engine). */
export function createDockerExecRunner(docker: DockerClient, container: string): ProxyRunner {
  const where = `in container ${container} on ${docker.target.name}`;
  return {
    where,
    async run(argv, options = {}) {
      const chunks: Buffer[] = [];
      let size = 0;
      const stdout = new Writable({
        write(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          if (size <= MAX_STDOUT_BYTES) chunks.push(chunk);
          done();
        },
      });
      const out = await docker.exec(container, {
        cmd: [...argv],
        stdin: options.stdin === undefined ? undefined : Readable.from([Buffer.from(options.stdin, "utf8")]),
        stdout,
        action: options.action ?? `run ${argv[0] ?? ""} ${where}`,
      });
      if (size > MAX_STDOUT_BYTES) {
        throw new AppError(
          "REMOTE_FAILED",
          `\`${argv[0]}\` ${where} printed more than ${MAX_STDOUT_BYTES / 1024 / 1024} MB: output refused.`,
          {
            host: docker.target.name,
            action: options.action,
          },
        );
      }
      return { exitCode: out.exitCode, stdout: Buffer.concat(chunks).toString("utf8"), stderr: out.stderr };
    },
  };
}
