import type { ContainerInspect } from "@/server/adapters/docker";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { isAppError } from "@/server/errors";
import { requirePassOf } from "@/server/services/health/credentials";
import { isAllInterfaces, readRunningConfig, type RunningConfig } from "@/server/services/golive/running-config";
import type { AuditPorts } from "./audit-ports";
import type { CacheFacts } from "./checks/cache-checks";
import { SEEDED_EMAILS, type DbFacts } from "./checks/db-checks";
import type { TlsFacts } from "./checks/tls-checks";
import type { Reachability } from "./host-facts";

/** One service of the stack as the audit sees it on its host. */
export interface AuditedService {
  kind: string;
  containerName: string;
  host: { id: string; name: string; address: string; privateAddress: string | null };
  target: SshTarget | null;
  /** The container as inspected during the host's collection; null when absent or not readable. */
  container: RunningConfig | null;
  /** The container's hostname (the host's own under network_mode host): root@<it> is a local login. */
  hostname: string | null;
  reachability: Reachability[];
}

export const findContainer = (inspected: readonly ContainerInspect[], name: string): RunningConfig | null => {
  const hit = inspected.find((c) => c.Name.replace(/^\//, "") === name);
  return hit ? readRunningConfig(hit) : null;
};

const errorText = (err: unknown) => (isAppError(err) ? err.message : err instanceof Error ? err.message.split("\n")[0]! : String(err));
const DB_IDENT = /^[A-Za-z0-9_$]{1,64}$/;

/** The container's published binding for a container port, if any. */
function binding(c: RunningConfig, containerPort: number) {
  return c.ports.find((p) => p.containerPort === containerPort) ?? null;
}

export async function gatherDb(ports: AuditPorts, db: AuditedService, apps: AuditedService[]): Promise<DbFacts> {
  const c = db.container;
  const b = c ? binding(c, 3306) : null;
  const port = b?.hostPort ?? 3306;
  const reach = db.reachability.find((r) => r.port === port);
  const facts: DbFacts = {
    host: db.host.name,
    container: db.containerName,
    running: c
      ? {
          cmd: c.cmd,
          database: c.env.MYSQL_DATABASE ?? null,
          user: c.env.MYSQL_USER ?? null,
          publishedPort: b?.hostPort ?? null,
          publishedOnAll: b ? isAllInterfaces(b.hostIp) : false,
        }
      : null,
    seeded: { error: "not read" },
    rootHosts: { error: "not read" },
    reachableFromPanel: reach?.open ?? "unknown",
    reachDetail: reach?.detail ?? `port ${port} not tried`,
    appDb: apps.map((a) => ({ host: a.host.name, env: a.container?.env ?? {} })),
    dbAddresses: [db.host.privateAddress, db.host.address].filter((x): x is string => Boolean(x)),
  };
  const rootPassword = c?.env.MYSQL_ROOT_PASSWORD ?? c?.env.MARIADB_ROOT_PASSWORD;
  if (!c || !db.target || !c.running) {
    const why = !c
      ? `${db.containerName} not found on ${db.host.name}`
      : !c.running
        ? `${db.containerName} is not running`
        : "host not reachable";
    return { ...facts, seeded: { error: why }, rootHosts: { error: why } };
  }
  if (!rootPassword) {
    const why = `${db.containerName} has no MYSQL_ROOT_PASSWORD in its env: the panel cannot read its accounts`;
    return { ...facts, seeded: { error: why }, rootHosts: { error: why } };
  }
  const isMariaDb = /mariadb/i.test(c.image);
  const query = (sql: string) => ports.dbQuery(db.target!, db.containerName, rootPassword, isMariaDb, sql);
  const database = c.env.MYSQL_DATABASE ?? c.env.MARIADB_DATABASE ?? null;
  try {
    // The image also creates root@<its hostname> (the container id, or the host's name under network_mode
    // host): a local login like localhost.
    facts.rootHosts = (await query("SELECT host FROM mysql.user WHERE user = 'root'"))
      .map((r) => r[0] ?? "")
      .map((h) => (h === db.hostname ? "localhost" : h));
    facts.rootHosts = [...new Set(facts.rootHosts)];
  } catch (err) {
    facts.rootHosts = { error: errorText(err) };
  }
  if (!database || !DB_IDENT.test(database)) facts.seeded = { error: "the db container names no MYSQL_DATABASE" };
  else {
    try {
      const emails = SEEDED_EMAILS.map((e) => `'${e}'`).join(", ");
      // Security: `database` matched DB_IDENT; the emails are constants.
      const rows = await query(
        `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '${database}' AND table_name = 'users'; ` +
          `SELECT email FROM \`${database}\`.users WHERE email IN (${emails})`,
      ).catch(async (err: unknown) => {
        if (/doesn't exist|Unknown database/i.test(errorText(err))) return [["0"]];
        throw err;
      });
      facts.seeded = rows[0]?.[0] === "0" && rows.length === 1 ? "no-table" : rows.slice(1).map((r) => r[0] ?? "");
    } catch (err) {
      facts.seeded = { error: errorText(err) };
    }
  }
  return facts;
}

export async function gatherCache(ports: AuditPorts, cache: AuditedService, apps: AuditedService[]): Promise<CacheFacts> {
  const c = cache.container;
  const b = c ? binding(c, 6379) : null;
  const host = !b || isAllInterfaces(b.hostIp) ? "127.0.0.1" : b.hostIp;
  const port = b?.hostPort ?? 6379;
  const facts: CacheFacts = {
    host: cache.host.name,
    container: cache.containerName,
    endpoint: `${host}:${port}`,
    anonymous: null,
    apps: [],
    probeError: null,
  };
  if (!cache.target || !c?.running)
    return { ...facts, probeError: !c ? `${cache.containerName} not found` : "not running or host not reachable" };
  const own = requirePassOf(c.cmd) ?? c.env.DFLY_requirepass ?? null;
  // Not published (network_mode host): it listens on the host's own addresses, loopback or not.
  const candidates = b ? [host] : [...new Set([host, cache.host.privateAddress ?? cache.host.address, cache.host.address])];
  for (const at of candidates) {
    try {
      const answer = (await ports.cacheAuth(cache.target, at, port, own)).anonymous;
      facts.endpoint = `${at}:${port}`;
      facts.anonymous = answer;
      facts.probeError = null;
      if (!/ECONNREFUSED|Connection is closed/i.test(answer)) break;
    } catch (err) {
      facts.probeError = errorText(err);
    }
  }
  if (facts.anonymous === null || /ECONNREFUSED|Connection is closed/i.test(facts.anonymous))
    return { ...facts, anonymous: null, probeError: facts.probeError ?? facts.anonymous };
  const endpointHost = facts.endpoint.slice(0, facts.endpoint.lastIndexOf(":"));
  for (const a of apps) {
    const password = a.container?.env.CACHE_PASSWORD || null;
    let answer: string | null = null;
    if (password) answer = await ports.cacheAuth(cache.target, endpointHost, port, password).then((p) => p.authenticated, errorText);
    facts.apps.push({ host: a.host.name, password: Boolean(password), answer });
  }
  return facts;
}

export async function gatherTls(ports: AuditPorts, publicDomain: string): Promise<TlsFacts> {
  let url: URL;
  try {
    url = new URL(publicDomain);
  } catch {
    const error = `the public domain "${publicDomain}" is not a URL`;
    return { publicDomain, certificate: { error }, plainHttp: { error }, site: { error } };
  }
  const https = url.protocol === "https:";
  const [certificate, plainHttp, site] = await Promise.all([
    https ? ports.certificate(url.hostname, Number(url.port) || 443).catch((err: unknown) => ({ error: errorText(err) })) : null,
    ports
      .httpGet(`http://${https ? url.hostname : url.host}/`)
      .then((r) => ({ status: r.status, location: r.headers.location ?? null }))
      .catch((err: unknown) => ({ error: errorText(err) })),
    ports
      .httpGet(`${url.origin}/`)
      .then((r) => r.headers)
      .catch((err: unknown) => ({ error: errorText(err) })),
  ]);
  return { publicDomain, certificate, plainHttp, site };
}
