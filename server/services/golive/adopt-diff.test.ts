import { describe, expect, it } from "vitest";
import { diffRole, type AdoptDifference } from "./adopt-diff";
import { buildAppSpec, buildCacheSpec, buildDbSpec, buildProxySpec, buildStorageSpec } from "./role-specs";
import { readRunningConfig, type RunningConfig } from "./running-config";
import { runningOf } from "./testing/exported";
import { PLAN_ADDRESSES, planLayout } from "./testing/plan-layout";
import { PLAN_APP, PLAN_CACHE, PLAN_DB, PLAN_PROXY } from "./testing/plan-inspect";

const risks = (diffs: AdoptDifference[]) => diffs.filter((d) => d.kind === "risk").map((d) => d.what);

describe("a stack as the plan's templates leave it", () => {
  it("db: 3306 on every interface and the option MySQL 8.4 refuses, each a risk naming role, host and the panel's way", () => {
    expect(diffRole("db", "data1", PLAN_ADDRESSES.db, readRunningConfig(PLAN_DB))).toEqual([
      {
        role: "db",
        host: "data1",
        what: "port 3306",
        running: "published on every interface",
        panel: "published on 10.0.0.10 only",
        kind: "risk",
      },
      {
        role: "db",
        host: "data1",
        what: "command",
        running: "--default-authentication-plugin",
        panel: "no such option (MySQL 8.4 removed it and refuses to start with it)",
        kind: "risk",
      },
      ...["MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD"].map((what) => ({
        role: "db",
        host: "data1",
        what,
        running: "the template's placeholder password",
        panel: "a generated password (changing it means changing the database user too)",
        kind: "risk",
      })),
    ]);
  });

  it("cache: 6379 on every interface and no password", () => {
    const diffs = diffRole("cache", "cache1", PLAN_ADDRESSES.cache, readRunningConfig(PLAN_CACHE));
    expect(risks(diffs)).toEqual(["port 6379", "password"]);
    expect(diffs[1]).toMatchObject({ host: "cache1", running: "none: anyone who reaches 6379 reads the sessions" });
  });

  it("app: the plan's placeholder secrets are risks; the compose project is said", () => {
    const diffs = diffRole("app", "app1", PLAN_ADDRESSES.app, readRunningConfig(PLAN_APP));
    expect(diffs.map((d) => [d.what, d.kind, d.running])).toEqual([
      ["UPLOAD_TOKEN_SECRET", "risk", "a placeholder or short value (18 characters)"],
      ["REPLICATION_SECRET", "risk", "a placeholder or short value (30 characters)"],
      ["compose", "info", "created by docker compose (project pixelfox)"],
      ["DB_PASSWORD", "risk", "the template's placeholder password"],
    ]);
    expect(diffs.every((d) => d.role === "app" && d.host === "app1")).toBe(true);
    expect(JSON.stringify(diffs)).not.toContain("change_this"); // the values themselves are never shown
  });

  it("app: unset, short and long placeholder secrets are risks; a generated one is not", () => {
    const app = (env: Record<string, string>) =>
      risks(diffRole("app", "app1", PLAN_ADDRESSES.app, { ...readRunningConfig(PLAN_APP), env }));
    const generated = "Zq3x9Vb0kPq2Lr7sT1uW4yA6cE8gI0mO2qS4uW6yA8c";
    expect(app({ UPLOAD_TOKEN_SECRET: generated, REPLICATION_SECRET: generated.split("").reverse().join("") })).toEqual([]);
    expect(app({ REPLICATION_SECRET: generated })).toEqual(["UPLOAD_TOKEN_SECRET"]);
    expect(app({ UPLOAD_TOKEN_SECRET: "change-me", REPLICATION_SECRET: generated })).toEqual(["UPLOAD_TOKEN_SECRET"]);
    expect(app({ UPLOAD_TOKEN_SECRET: "change-me-to-a-long-random-value-please-now", REPLICATION_SECRET: generated })).toEqual([
      "UPLOAD_TOKEN_SECRET",
    ]);
    expect(app({ UPLOAD_TOKEN_SECRET: "CHANGEME_CHANGEME_CHANGEME_CHANGEME_1", REPLICATION_SECRET: generated })).toEqual([
      "UPLOAD_TOKEN_SECRET",
    ]);
    expect(app({ UPLOAD_TOKEN_SECRET: generated, REPLICATION_SECRET: generated })).toEqual(["REPLICATION_SECRET"]);
  });

  it("app and db: the template's placeholder passwords are risks (never shown); a generated one is not", () => {
    const app = (env: Record<string, string>) =>
      risks(
        diffRole("app", "app1", PLAN_ADDRESSES.app, {
          ...readRunningConfig(PLAN_APP),
          env: { ...readRunningConfig(PLAN_APP).env, ...env },
        }),
      );
    expect(app({ DB_PASSWORD: "strong_db_password" })).toContain("DB_PASSWORD");
    expect(app({ DB_PASSWORD: "Zq3x9Vb0kPq2Lr7sT1uW4yA6", CACHE_PASSWORD: "change-me" })).toEqual(
      expect.arrayContaining(["CACHE_PASSWORD"]),
    );
    expect(app({ DB_PASSWORD: "Zq3x9Vb0kPq2Lr7sT1uW4yA6" })).not.toContain("DB_PASSWORD");
    const db = diffRole("db", "data1", PLAN_ADDRESSES.db, {
      ...readRunningConfig(PLAN_DB),
      env: { MYSQL_ROOT_PASSWORD: "strong_root_password" },
    });
    expect(risks(db)).toContain("MYSQL_ROOT_PASSWORD");
    expect(JSON.stringify(db)).not.toContain("strong_root_password");
  });

  it("proxy: nothing to report (the template's host network and Caddyfile are what the panel keeps)", () => {
    expect(diffRole("proxy", "app1", PLAN_ADDRESSES.app, readRunningConfig(PLAN_PROXY))).toEqual([]);
  });
});

describe("what the panel provisions", () => {
  const l = planLayout();
  const redis = planLayout({ settings: { cacheFlavor: "redis" } });
  it.each([
    ["db", PLAN_ADDRESSES.db, runningOf(buildDbSpec(l))],
    ["cache", PLAN_ADDRESSES.cache, runningOf(buildCacheSpec(l))],
    ["cache", PLAN_ADDRESSES.cache, runningOf(buildCacheSpec(redis))],
    ["app", PLAN_ADDRESSES.app, runningOf(buildAppSpec(l, 0))],
    ["storage", PLAN_ADDRESSES.storage, runningOf(buildStorageSpec(l, 0, "s01"))],
    ["proxy", PLAN_ADDRESSES.app, runningOf(buildProxySpec(l, ["127.0.0.1:4000"]))],
  ] as [string, string, RunningConfig][])("%s (%s) reports nothing", (role, address, rc) => {
    expect(diffRole(role, "h1", address, rc)).toEqual([]);
  });
});

describe("the cache's password, as the server would read it", () => {
  const cache = (cmd: string[], env: Record<string, string> = {}) =>
    risks(diffRole("cache", "cache1", PLAN_ADDRESSES.cache, { ...runningOf(buildCacheSpec(planLayout())), cmd, env }));

  it("counts a non-empty --requirepass, in either spelling, and Dragonfly's DFLY_requirepass", () => {
    expect(cache(["dragonfly", "--requirepass", "s3cret"])).toEqual([]);
    expect(cache(["dragonfly", "--requirepass=s3cret"])).toEqual([]);
    expect(cache(["dragonfly"], { DFLY_requirepass: "s3cret" })).toEqual([]);
    expect(cache(["sh", "-c", 'exec redis-server --requirepass "$CACHE_PASSWORD"'], { CACHE_PASSWORD: "s3cret" })).toEqual([]);
  });

  it("the plan's `--requirepass ${CACHE_PASSWORD}` with CACHE_PASSWORD unset on the cache host is no password", () => {
    expect(cache(["dragonfly", "--cache_mode=true", "--requirepass", ""])).toEqual(["password"]);
    expect(cache(["dragonfly", "--requirepass="])).toEqual(["password"]);
    expect(cache(["dragonfly"], { DFLY_requirepass: "" })).toEqual(["password"]);
  });

  it("CACHE_PASSWORD in the environment of a server that never reads it is no password", () => {
    expect(cache(["dragonfly", "--cache_mode=true"], { CACHE_PASSWORD: "s3cret" })).toEqual(["password"]);
    expect(cache(["sh", "-c", 'exec redis-server --requirepass "$CACHE_PASSWORD"'], {})).toEqual(["password"]);
  });
});

describe("any role", () => {
  it("no container is a risk; a stopped one too; a restart policy other than always is said", () => {
    expect(diffRole("db", "data1", PLAN_ADDRESSES.db, null)).toEqual([
      { role: "db", host: "data1", what: "container", running: "none found", panel: "the db container", kind: "risk" },
    ]);
    const rc = { ...runningOf(buildDbSpec(planLayout())), running: false, restart: "no" };
    expect(diffRole("db", "data1", PLAN_ADDRESSES.db, rc).map((d) => [d.what, d.running, d.panel, d.kind])).toEqual([
      ["state", "stopped", "running", "risk"],
      ["restart policy", "no", "always", "info"],
    ]);
  });

  it('every interface is "", 0.0.0.0 or ::; an app published there is said, not a risk', () => {
    for (const hostIp of ["", "0.0.0.0", "::"]) {
      const rc = { ...runningOf(buildAppSpec(planLayout(), 0)), ports: [{ hostIp, hostPort: 4000, containerPort: 4000 }] };
      expect(diffRole("app", "app1", PLAN_ADDRESSES.app, rc)).toEqual([
        {
          role: "app",
          host: "app1",
          what: "port 4000",
          running: "published on every interface",
          panel: "published on 127.0.0.1 only",
          kind: "info",
        },
      ]);
    }
  });
});
