import { describe, expect, it } from "vitest";
import { cacheChecks, type CacheFacts } from "./cache-checks";
import { dbChecks, type DbFacts } from "./db-checks";
import { tlsChecks, type TlsFacts } from "./tls-checks";

const verdicts = (checks: { id: string; verdict: string }[]) => Object.fromEntries(checks.map((c) => [c.id, c.verdict]));

const planDb = (over: Partial<DbFacts> = {}): DbFacts => ({
  host: "plan-db",
  container: "pxlfox-db",
  running: {
    cmd: ["docker-entrypoint.sh", "mariadbd", "--default-authentication-plugin=mysql_native_password"],
    database: "pixelfox_db",
    user: "pixelfox",
    publishedPort: 3306,
    publishedOnAll: true,
  },
  seeded: ["admin@test.de", "test@test.de"],
  rootHosts: ["%", "localhost"],
  reachableFromPanel: true,
  reachDetail: "TCP connect to 10.213.77.22:3306 from the panel: open (1 ms)",
  appDb: [{ host: "plan-app", env: { DB_HOST: "10.213.77.22", DB_NAME: "pixelfox_db", DB_USER: "pixelfox" } }],
  dbAddresses: ["10.213.77.22"],
  ...over,
});

describe("database checks", () => {
  it("the plan's db as the templates leave it: seeded accounts, remote root, the removed option", () => {
    const checks = dbChecks(planDb());
    expect(verdicts(checks)).toEqual({
      "db-seeded-accounts": "fail",
      "db-root-remote": "fail",
      "db-removed-option": "fail",
      "db-app-env-match:plan-app": "pass",
    });
    const seeded = checks.find((c) => c.id === "db-seeded-accounts")!;
    expect(seeded.evidence).toContain("admin@test.de, test@test.de");
    expect(seeded.panelFix).toBe("remove-seeded-accounts");
  });

  it("fixed: no seeded accounts, root local only, no removed option; a missing users table is no account at all", () => {
    const running = { ...planDb().running!, cmd: ["mariadbd"], publishedOnAll: false };
    expect(verdicts(dbChecks(planDb({ seeded: [], rootHosts: ["localhost"], running, reachableFromPanel: false })))).toMatchObject({
      "db-seeded-accounts": "pass",
      "db-root-remote": "pass",
      "db-removed-option": "pass",
    });
    const noTable = dbChecks(planDb({ seeded: "no-table" })).find((c) => c.id === "db-seeded-accounts")!;
    expect(noTable.verdict).toBe("pass");
    expect(noTable.panelFix).toBeNull();
  });

  it("root@'%' behind a port nobody outside reaches passes, with the reason shown", () => {
    const running = { ...planDb().running!, publishedOnAll: false };
    const c = dbChecks(planDb({ running, reachableFromPanel: false })).find((x) => x.id === "db-root-remote")!;
    expect(c.verdict).toBe("pass");
    expect(c.evidence).toContain("not reachable from outside");
  });

  it("what it could not read is unknown, never pass", () => {
    const checks = dbChecks(planDb({ seeded: { error: "Access denied" }, rootHosts: { error: "Access denied" }, running: null }));
    expect(verdicts(checks)).toEqual({
      "db-seeded-accounts": "unknown",
      "db-root-remote": "unknown",
      "db-removed-option": "unknown",
      "db-app-env-match:plan-app": "unknown",
    });
  });

  it("an app whose DB_* differ from the db service fails, naming each key", () => {
    const c = dbChecks(
      planDb({ appDb: [{ host: "plan-app", env: { DB_HOST: "10.0.0.99", DB_PORT: "3307", DB_NAME: "other", DB_USER: "pixelfox" } }] }),
    ).find((x) => x.id === "db-app-env-match:plan-app")!;
    expect(c.verdict).toBe("fail");
    expect(c.evidence).toContain("DB_HOST=10.0.0.99");
    expect(c.evidence).toContain("DB_PORT=3307");
    expect(c.evidence).toContain("DB_NAME=other");
    expect(c.evidence).not.toContain("DB_USER=pixelfox, the db");
  });
});

const planCache = (over: Partial<CacheFacts> = {}): CacheFacts => ({
  host: "plan-cache",
  container: "pxlfox-cache",
  endpoint: "127.0.0.1:6379",
  anonymous: "PONG",
  apps: [{ host: "plan-app", password: false, answer: null }],
  probeError: null,
  ...over,
});

describe("cache checks", () => {
  it("a cache that answers PING without a password fails both checks", () => {
    expect(verdicts(cacheChecks(planCache()))).toEqual({ "cache-auth-required": "fail", "cache-app-password:plan-app": "fail" });
  });

  it("passes when the cache refuses anonymous PING and the app's password works; a wrong one fails", () => {
    const ok = planCache({ anonymous: "NOAUTH Authentication required.", apps: [{ host: "plan-app", password: true, answer: "PONG" }] });
    expect(verdicts(cacheChecks(ok))).toEqual({ "cache-auth-required": "pass", "cache-app-password:plan-app": "pass" });
    const wrong = planCache({
      anonymous: "NOAUTH Authentication required.",
      apps: [{ host: "plan-app", password: true, answer: "WRONGPASS invalid username-password pair" }],
    });
    expect(verdicts(cacheChecks(wrong))["cache-app-password:plan-app"]).toBe("fail");
  });

  it("an unreachable cache is unknown", () => {
    expect(verdicts(cacheChecks(planCache({ anonymous: null, probeError: "connect ECONNREFUSED" })))).toEqual({
      "cache-auth-required": "unknown",
    });
  });
});

const site = (over: Partial<TlsFacts> = {}): TlsFacts => ({
  publicDomain: "https://pixelfox.cc",
  certificate: {
    subject: "pixelfox.cc",
    issuer: "Let's Encrypt",
    validTo: "2027-02-01T00:00:00.000Z",
    daysLeft: 60,
    authorized: true,
    authorizationError: null,
  },
  plainHttp: { status: 308, location: "https://pixelfox.cc/" },
  site: {
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
  },
  ...over,
});

describe("TLS and proxy checks", () => {
  it("a site with a trusted certificate, a redirect and the plan's headers passes every check", () => {
    expect(tlsChecks(site()).every((c) => c.verdict === "pass")).toBe(true);
  });

  it("the plan stack on plain http: no TLS, no redirect, no HSTS; missing headers are named", () => {
    const checks = tlsChecks(
      site({
        publicDomain: "http://10.213.77.21",
        certificate: null,
        plainHttp: { status: 200, location: null },
        site: { "x-frame-options": "DENY" },
      }),
    );
    expect(verdicts(checks)).toEqual({
      "tls-https": "fail",
      "tls-certificate": "fail",
      "tls-redirect": "fail",
      "tls-header:strict-transport-security": "fail",
      "tls-header:x-frame-options": "pass",
      "tls-header:x-content-type-options": "fail",
      "tls-header:referrer-policy": "fail",
    });
    expect(checks.find((c) => c.id === "tls-header:referrer-policy")!.evidence).toBe("referrer-policy: (absent)");
  });

  it("an expiring or untrusted certificate fails; one that could not be read is unknown", () => {
    const expiring = site({ certificate: { ...(site().certificate as object), daysLeft: 3 } as TlsFacts["certificate"] });
    expect(verdicts(tlsChecks(expiring))["tls-certificate"]).toBe("fail");
    const untrusted = site({
      certificate: { ...(site().certificate as object), authorized: false, authorizationError: "SELF_SIGNED" } as TlsFacts["certificate"],
    });
    expect(verdicts(tlsChecks(untrusted))["tls-certificate"]).toBe("fail");
    expect(verdicts(tlsChecks(site({ certificate: { error: "ECONNREFUSED" } })))["tls-certificate"]).toBe("unknown");
    expect(verdicts(tlsChecks(site({ site: { error: "timeout" } })))["tls-header:x-frame-options"]).toBe("unknown");
  });
});
