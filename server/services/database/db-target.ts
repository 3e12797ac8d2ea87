import type { Stack } from "@prisma/client";
import { createSshDocker, readContainerEnv, type DockerClient, type DockerConnector } from "@/server/adapters/docker";
import type { MysqlCredentials } from "@/server/adapters/mysql/mysql-connection";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { usableTarget } from "@/server/services/inventory/host-target";
import { rememberServiceSecrets } from "@/server/services/secrets/secret-cache";

/** Where a stack's database lives and how to reach it; credentials are held in memory only. */
export interface DbTarget {
  stack: Stack;
  target: SshTarget;
  /** The db host's Docker Engine (dumps and restores run in the container). */
  docker: DockerClient;
  container: string;
  database: string;
  port: number;
  /** The app's own user: migrations run as it, as the repo's migrate CLI does. */
  app: MysqlCredentials;
  /** Root password for dumps and restores (docker exec, inside the container). */
  rootPassword: string;
}

const DB_NAME = /^[A-Za-z0-9_]{1,64}$/;

/** The stack's db service, or null when the stack has none. */
export async function findDbService(stackId: string) {
  return db.service.findFirst({ where: { stackId, kind: "db" }, include: { host: true } });
}

/**
 * Resolves the db service of a stack. The credentials come from the db container's environment
 * (MYSQL_DATABASE, MYSQL_USER, MYSQL_PASSWORD, MYSQL_ROOT_PASSWORD), read through the Docker API;
 * `settings.database` and `settings.port` on the service override the name and port.
 */
export async function resolveDbTarget(stack: Stack, dockerFor: DockerConnector = createSshDocker()): Promise<DbTarget> {
  const service = await findDbService(stack.id);
  if (!service) throw new AppError("PRECONDITION_FAILED", `Stack ${stack.name} has no db service: place one on a host first.`);
  const target = usableTarget(service.host, "working on its database");
  const docker = dockerFor(target);
  const settings = JSON.parse(service.settings) as { database?: unknown; port?: unknown; listenAddress?: unknown };
  const env = await readContainerEnv(docker, service.containerName);
  const database = typeof settings.database === "string" ? settings.database : (env.MYSQL_DATABASE ?? env.MARIADB_DATABASE ?? "");
  // Security: the name is also a positional argument of dump/restore scripts; accept identifiers only.
  if (!DB_NAME.test(database))
    throw new AppError(
      "PRECONDITION_FAILED",
      `The db container ${service.containerName} names no usable database (MYSQL_DATABASE): set settings.database on the db service.`,
    );
  const user = env.MYSQL_USER ?? env.MARIADB_USER;
  const password = env.MYSQL_PASSWORD ?? env.MARIADB_PASSWORD;
  const rootPassword = env.MYSQL_ROOT_PASSWORD ?? env.MARIADB_ROOT_PASSWORD;
  if (!user || !password || !rootPassword) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `The db container ${service.containerName} on ${service.host.name} has no MYSQL_USER/MYSQL_PASSWORD/MYSQL_ROOT_PASSWORD in its environment.`,
    );
  }
  // Security: from now on every text of the stack (job logs, errors, audit) is redacted of both passwords.
  rememberServiceSecrets(service.id, [password, rootPassword]);
  const port = typeof settings.port === "number" ? settings.port : 3306;
  return {
    stack,
    target,
    docker,
    container: service.containerName,
    database,
    port,
    app: { user, password, database, port, host: typeof settings.listenAddress === "string" ? settings.listenAddress : undefined },
    rootPassword,
  };
}
