import type { AuditCheck } from "@/server/domain/security-audit";
import { check } from "./check";

/** The first migration's seeded accounts (publicly known password hash). */
export const SEEDED_EMAILS = ["admin@test.de", "test@test.de"] as const;
export const REMOVED_MYSQL_OPTION = "--default-authentication-plugin";

export interface DbFacts {
  host: string;
  container: string;
  /** Read from the container: null when it could not be inspected. */
  running: { cmd: string[]; database: string | null; user: string | null; publishedPort: number | null; publishedOnAll: boolean } | null;
  /** Seeded emails found; "no-table" when the users table does not exist yet; a string when the query failed. */
  seeded: string[] | "no-table" | { error: string };
  /** Hosts root may log in from; an error string when unreadable. */
  rootHosts: string[] | { error: string };
  /** The TCP connect from the panel to the db host's 3306 (or published port). */
  reachableFromPanel: boolean | "unknown";
  reachDetail: string;
  /** The DB_* of every app/storage container, by host. */
  appDb: { host: string; env: Record<string, string | undefined> }[];
  dbAddresses: string[];
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1"]);

export function dbChecks(f: DbFacts): AuditCheck[] {
  return [seededCheck(f), rootCheck(f), removedOptionCheck(f), ...appMatchChecks(f)];
}

function seededCheck(f: DbFacts): AuditCheck {
  const label = "No seeded test accounts";
  const why =
    "The first migration inserts admin@test.de and test@test.de with a publicly known password hash: anyone can sign in as admin.";
  if (!Array.isArray(f.seeded) && typeof f.seeded === "object")
    return check("database", "db-seeded-accounts", label, "unknown", `could not read the users table: ${f.seeded.error}`, why);
  if (f.seeded === "no-table")
    return check("database", "db-seeded-accounts", label, "pass", "the users table does not exist yet (no accounts at all)", why);
  const found = f.seeded;
  return check(
    "database",
    "db-seeded-accounts",
    label,
    found.length ? "fail" : "pass",
    found.length ? `seeded accounts present: ${found.join(", ")}` : `none of ${SEEDED_EMAILS.join(", ")} in users`,
    why,
    `DELETE FROM users WHERE email IN (${SEEDED_EMAILS.map((e) => `'${e}'`).join(", ")});   # after a backup`,
    "remove-seeded-accounts",
  );
}

function rootCheck(f: DbFacts): AuditCheck {
  const label = "Database root is not reachable from outside";
  const why = "root can read and drop every database; it should log in only from inside the db container or host.";
  if (!Array.isArray(f.rootHosts))
    return check("database", "db-root-remote", label, "unknown", `could not read mysql.user: ${f.rootHosts.error}`, why);
  const remote = f.rootHosts.filter((h) => !LOCAL_HOSTS.has(h));
  const exposed = f.reachableFromPanel === true || f.running?.publishedOnAll === true;
  const evidence = [`root may log in from: ${f.rootHosts.join(", ") || "(nowhere)"}`, f.reachDetail].join("\n");
  if (!remote.length) return check("database", "db-root-remote", label, "pass", evidence, why);
  if (exposed)
    return check(
      "database",
      "db-root-remote",
      label,
      "fail",
      evidence,
      why,
      `DROP USER 'root'@'${remote[0]}';   # keep root@localhost; and publish 3306 on the private address only`,
    );
  if (f.reachableFromPanel === "unknown") return check("database", "db-root-remote", label, "unknown", evidence, why);
  return check(
    "database",
    "db-root-remote",
    label,
    "pass",
    `${evidence}\n(root@'${remote[0]}' exists, but 3306 is not reachable from outside)`,
    why,
  );
}

function removedOptionCheck(f: DbFacts): AuditCheck {
  const label = "No option MySQL 8.4 removed";
  const why = `The plan's compose passes ${REMOVED_MYSQL_OPTION}=mysql_native_password, which MySQL 8.4 removed: the server refuses to start after a re-create.`;
  if (!f.running) return check("database", "db-removed-option", label, "unknown", `${f.container} could not be inspected`, why);
  const hit = f.running.cmd.find((w) => w.startsWith(REMOVED_MYSQL_OPTION));
  return check(
    "database",
    "db-removed-option",
    label,
    hit ? "fail" : "pass",
    hit ? `command has ${hit}` : `command: ${f.running.cmd.join(" ") || "(image default)"}`,
    why,
    `Remove ${REMOVED_MYSQL_OPTION} from the db service's command and re-create ${f.container}.`,
  );
}

function appMatchChecks(f: DbFacts): AuditCheck[] {
  const why = "An app whose DB_* differ from the db service cannot connect (or connects to another database).";
  return f.appDb.map(({ host, env }) => {
    const id = `db-app-env-match:${host}`;
    const label = `The app on ${host} uses the db service's host, port, name and user`;
    if (!f.running) return check("database", id, label, "unknown", `${f.container} could not be inspected`, why);
    const problems: string[] = [];
    if (env.DB_HOST === undefined) problems.push("DB_HOST is not set");
    else if (!f.dbAddresses.includes(env.DB_HOST)) problems.push(`DB_HOST=${env.DB_HOST}, the db host is ${f.dbAddresses.join(" or ")}`);
    const port = Number(env.DB_PORT ?? "3306");
    if (f.running.publishedPort !== null && port !== f.running.publishedPort)
      problems.push(`DB_PORT=${port}, the db publishes ${f.running.publishedPort}`);
    if (f.running.database && env.DB_NAME !== f.running.database)
      problems.push(`DB_NAME=${env.DB_NAME ?? "(unset)"}, the db has ${f.running.database}`);
    if (f.running.user && env.DB_USER !== f.running.user)
      problems.push(`DB_USER=${env.DB_USER ?? "(unset)"}, the db's user is ${f.running.user}`);
    const seen = `DB_HOST=${env.DB_HOST ?? "(unset)"} DB_PORT=${env.DB_PORT ?? "(3306)"} DB_NAME=${env.DB_NAME ?? "(unset)"} DB_USER=${env.DB_USER ?? "(unset)"}`;
    return check(
      "database",
      id,
      label,
      problems.length ? "fail" : "pass",
      problems.length ? `${problems.join("\n")}\n${seen}` : seen,
      why,
      "Set the app's DB_* to the db service's values in Stack → App environment and deploy.",
    );
  });
}
