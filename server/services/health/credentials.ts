import { inspectServiceContainer, type ContainerFacts } from "@/server/adapters/metrics/container-stats";
import type { MysqlCredentials } from "@/server/adapters/metrics/mysql-status";
import type { ProbeTransport } from "@/server/adapters/metrics/transport";
import { AppError } from "@/server/errors";
import { rememberServiceSecrets } from "@/server/services/secrets/secret-cache";
import type { TopologyService } from "./topology";

/** `KEY=value` lookup in a container's env list. */
export function envValue(env: readonly string[], key: string): string | null {
  const hit = env.find((e) => e.startsWith(`${key}=`));
  return hit === undefined ? null : hit.slice(key.length + 1);
}

/** The value after `--requirepass` in a redis-server / dragonfly command line. */
export function requirePassOf(cmd: readonly string[]): string | null {
  for (let i = 0; i < cmd.length; i++) {
    const word = cmd[i] ?? "";
    if (word === "--requirepass") return cmd[i + 1] ?? null;
    if (word.startsWith("--requirepass=")) return word.slice("--requirepass=".length);
  }
  return null;
}

async function appEnv(app: TopologyService | undefined, transport: ProbeTransport): Promise<string[]> {
  if (!app?.host.target) return [];
  return (await inspectServiceContainer(app.host.target, app.containerName, transport).catch(() => null))?.env ?? [];
}

/**
 * The db login the health check uses: the app's own user from the db container's env (what the
 * deployed stack really uses), else the app container's DB_* env. Security: kept in memory only, and
 * remembered (with the root password seen in the same env) for the redaction of the stack's texts.
 */
export async function findDbCredentials(
  db: ContainerFacts,
  app: TopologyService | undefined,
  transport: ProbeTransport,
  serviceId?: string,
): Promise<MysqlCredentials> {
  const user = envValue(db.env, "MYSQL_USER");
  const password = envValue(db.env, "MYSQL_PASSWORD");
  const database = envValue(db.env, "MYSQL_DATABASE");
  if (serviceId) rememberServiceSecrets(serviceId, [password, envValue(db.env, "MYSQL_ROOT_PASSWORD")]);
  if (user && password && database) return { user, password, database };
  const env = await appEnv(app, transport);
  const fromApp = { user: envValue(env, "DB_USER"), password: envValue(env, "DB_PASSWORD"), database: envValue(env, "DB_NAME") };
  if (serviceId) rememberServiceSecrets(serviceId, [fromApp.password]);
  if (fromApp.user && fromApp.password !== null && fromApp.database)
    return { user: fromApp.user, password: fromApp.password, database: fromApp.database };
  throw new AppError(
    "PRECONDITION_FAILED",
    "No database login found: neither the db container's MYSQL_USER/MYSQL_PASSWORD/MYSQL_DATABASE nor the app's DB_USER/DB_PASSWORD/DB_NAME are set.",
    { data: { reason: "auth" } },
  );
}

/** The cache password from `--requirepass`, else the app's CACHE_PASSWORD; null when none is set. Remembered for redaction. */
export async function findCacheCredentials(
  cache: ContainerFacts,
  app: TopologyService | undefined,
  transport: ProbeTransport,
  serviceId?: string,
): Promise<string | null> {
  const password = requirePassOf(cache.cmd) || envValue(await appEnv(app, transport), "CACHE_PASSWORD") || null;
  if (serviceId) rememberServiceSecrets(serviceId, [password]);
  return password;
}
