import { Writable } from "node:stream";
import type { DockerClient } from "@/server/adapters/docker";
import { AppError } from "@/server/errors";

export interface ContainerSqlInput {
  docker: DockerClient;
  container: string;
  /** Security: passed as MYSQL_PWD in the exec environment, never in argv. */
  rootPassword: string;
  isMariaDb: boolean;
  /** Fixed SQL built by the caller from validated identifiers only. */
  sql: string;
  signal?: AbortSignal;
  action: string;
}

const MAX_OUTPUT = 4 * 1024 * 1024;

/**
 * Runs SQL as root with the db container's own client (docker exec; no network grant for root
 * needed) and returns the result rows, tab-separated (`-N -B`: no headers, batch).
 */
export async function runContainerSql(input: ContainerSqlInput): Promise<string[][]> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stdout = new Writable({
    write(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size <= MAX_OUTPUT) chunks.push(chunk);
      done();
    },
  });
  const client = input.isMariaDb ? "mariadb" : "mysql";
  const result = await input.docker.exec(input.container, {
    cmd: [client, "--user=root", "-N", "-B", "-e", input.sql],
    env: [`MYSQL_PWD=${input.rootPassword}`],
    stdout,
    signal: input.signal,
    action: input.action,
  });
  const host = input.docker.target.name;
  if (result.exitCode !== 0) {
    throw new AppError(
      "REMOTE_FAILED",
      `${input.action} failed on ${host} (client status ${result.exitCode ?? "unknown"}): ${result.stderr.trim().split("\n").slice(-5).join(" ")}`,
      { host, action: input.action },
    );
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return text
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => l.split("\t"));
}
