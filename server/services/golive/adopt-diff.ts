import { isAllInterfaces, type RunningConfig } from "./running-config";

/** One way what runs differs from what the panel would provision. */
export interface AdoptDifference {
  role: string;
  host: string;
  what: string;
  running: string;
  panel: string;
  /** risk: a fault the plan's templates leave (left as it is: fixing it restarts the service); change: what adopting changes; info. */
  kind: "risk" | "change" | "info";
}

const REMOVED_OPTION = "--default-authentication-plugin";
/** The plan's `change_this_secret`, and `change-me`, `CHANGEME`, `…secret` of every other template. */
const PLACEHOLDER = /change[-_ ]?(this|me)|secret$/i;
/** The plan's `strong_db_password` (and its kin): a password the template ships, so everyone knows it. */
const PASSWORD_PLACEHOLDER = /^(strong_\w*password|\w*_password|password|changeme|secret|root)$/i;

/** Passwords a role's env carries, by role. */
const PASSWORD_KEYS: Partial<Record<string, string[]>> = {
  db: ["MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD", "MARIADB_ROOT_PASSWORD", "MARIADB_PASSWORD"],
  app: ["DB_PASSWORD", "CACHE_PASSWORD"],
  storage: ["DB_PASSWORD", "CACHE_PASSWORD"],
};
/** `--requirepass VALUE`, `--requirepass=VALUE`, or inside a `sh -c` line; VALUE may be `"$VAR"`. */
const REQUIREPASS = /--requirepass(?:=|\s+)"?([^"\s]*)/;

/**
 * Whether the cache server asks for a password, as it reads its flags: a non-empty --requirepass (a
 * `$VAR` there only when the container's env sets VAR), or Dragonfly's DFLY_requirepass. Security: a
 * CACHE_PASSWORD the server never reads, or the plan's `--requirepass ${CACHE_PASSWORD}` that compose
 * filled with nothing, is no password.
 */
function cacheHasPassword(rc: RunningConfig): boolean {
  if (rc.env.DFLY_requirepass) return true;
  return rc.cmd.some((arg, i) => {
    if (arg === "--requirepass") return Boolean(rc.cmd[i + 1]);
    const value = REQUIREPASS.exec(arg)?.[1];
    if (!value) return false;
    const ref = /^\$\{?(\w+)\}?$/.exec(value);
    return ref ? Boolean(rc.env[ref[1]!]) : true;
  });
}

/** The differences of one running role from the panel's provisioning (pure: the running config is read elsewhere). */
export function diffRole(role: string, host: string, privateAddress: string, rc: RunningConfig | null): AdoptDifference[] {
  if (!rc) return [{ role, host, what: "container", running: "none found", panel: `the ${role} container`, kind: "risk" }];
  const out: AdoptDifference[] = [];
  const d = (what: string, running: string, panel: string, kind: AdoptDifference["kind"]) =>
    out.push({ role, host, what, running, panel, kind });
  if (!rc.running) d("state", "stopped", "running", "risk");
  for (const p of rc.ports.filter((x) => isAllInterfaces(x.hostIp))) {
    d(
      `port ${p.hostPort}`,
      "published on every interface",
      `published on ${role === "app" ? "127.0.0.1" : privateAddress} only`,
      role === "db" || role === "cache" ? "risk" : "info",
    );
  }
  if (role === "db" && rc.cmd.some((a) => a.startsWith(REMOVED_OPTION)))
    d("command", REMOVED_OPTION, "no such option (MySQL 8.4 removed it and refuses to start with it)", "risk");
  if (role === "cache") {
    if (!cacheHasPassword(rc))
      d(
        "password",
        "none: anyone who reaches 6379 reads the sessions",
        "a generated password, carried to the app as CACHE_PASSWORD",
        "risk",
      );
  }
  if (role === "app") {
    for (const k of ["UPLOAD_TOKEN_SECRET", "REPLICATION_SECRET"]) {
      const v = rc.env[k];
      if (!v) d(k, "unset (the feature is off)", "a generated secret", "risk");
      else if (PLACEHOLDER.test(v) || v.length < 32)
        d(k, `a placeholder or short value (${v.length} characters)`, "a generated secret of 43 characters", "risk");
    }
    if (rc.labels["com.docker.compose.project"]) {
      d(
        "compose",
        `created by docker compose (project ${rc.labels["com.docker.compose.project"]})`,
        "the panel's deploys replace this container; the compose file on the host goes stale (export one from the panel)",
        "info",
      );
    }
  }
  for (const k of PASSWORD_KEYS[role] ?? []) {
    const v = rc.env[k];
    if (v && (PASSWORD_PLACEHOLDER.test(v) || PLACEHOLDER.test(v)))
      d(k, "the template's placeholder password", "a generated password (changing it means changing the database user too)", "risk");
  }
  if (role === "app" && rc.env.UPLOAD_TOKEN_SECRET && rc.env.UPLOAD_TOKEN_SECRET === rc.env.REPLICATION_SECRET)
    d("REPLICATION_SECRET", "the same value as UPLOAD_TOKEN_SECRET", "a secret of its own", "risk");
  if (rc.restart !== "always" && rc.restart !== "unless-stopped") d("restart policy", rc.restart, "always", "info");
  return out;
}
