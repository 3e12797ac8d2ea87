import mysql, { type Connection, type RowDataPacket } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpRequest } from "@/server/adapters/http/http-request";
import { generateSmokePassword, smokeAccountEmail } from "./account";
import { describeSmokeFailure, formatSmokeLine } from "./format";
import { runSmoke, type SmokeOptions } from "./run-smoke";
import { ALL_SMOKE_STEPS } from "./steps";
import { checkStoragePool, type SqlQuery } from "./storage-pool";
import { standinMissingTool, startProxy, startStandin, type Standin, type TinyProxy } from "./testing/standin";

/**
 * The smoke runner and the storage pool check against the real stand-in app (Go) with a private
 * MariaDB and Redis, through a tiny proxy: what the deploy's smoke step does on the fleet.
 */
const missing = standinMissingTool();
const account = { email: smokeAccountEmail("standin"), password: generateSmokePassword() };

let standin: Standin;
let proxy: TinyProxy;
let conn: Connection;
let publicUrl = "";
const opts = (extra: Partial<SmokeOptions> = {}): SmokeOptions => ({
  publicUrl,
  healthPath: "/api/v1/ping",
  steps: ALL_SMOKE_STEPS,
  account,
  ...extra,
});
const names = (run: Awaited<ReturnType<typeof runSmoke>>) =>
  run.steps.map((s) => `${s.name}: ${s.skipped ? "skipped" : s.ok ? "ok" : "FAILED"}`);
const query: SqlQuery = async (sql, params) => (await conn.query<RowDataPacket[]>(sql, params))[0];
const smokeImages = async () =>
  Number(
    (
      (await query("SELECT COUNT(*) AS n FROM images i JOIN users u ON u.id = i.user_id WHERE u.email = ?", [account.email]))[0] as {
        n: number;
      }
    ).n,
  );

describe.skipIf(missing)(`smoke against the stand-in app${missing ? ` (skipped: ${missing} missing)` : ""}`, () => {
  beforeAll(async () => {
    proxy = await startProxy();
    publicUrl = `http://127.0.0.1:${proxy.port}`;
    standin = await startStandin();
    const app = await standin.startApp({ PUBLIC_DOMAIN: publicUrl, UPLOAD_TOKEN_SECRET: "upload-token-secret-smoke" });
    proxy.upstreamPort = app.port;
    conn = await mysql.createConnection({ host: "127.0.0.1", port: standin.dbPort, ...standin.db });
  }, 240_000);

  afterAll(async () => {
    await conn?.end().catch(() => undefined);
    await proxy?.close();
    await standin?.stop();
  }, 30_000);

  it("all green: every step passes, the account is created once, its upload is removed", async () => {
    const run = await runSmoke(httpRequest, opts());
    expect(run.steps.filter((s) => !s.ok).map(formatSmokeLine)).toEqual([]);
    expect(names(run)).toEqual([
      "ping: ok",
      "home page: ok",
      "register / log in: ok",
      "upload: ok",
      "thumbnail: ok",
      "direct upload: ok",
      "cleanup: ok",
    ]);
    expect(run.account).toEqual({ email: account.email, created: true });
    expect(run.steps.find((s) => s.name === "ping")?.version).toBe("v2.0.0-smoke");
    expect(run.steps.find((s) => s.name === "thumbnail")?.detail).toMatch(/^image\/png, png data, \d+ bytes$/);
    expect(await smokeImages()).toBe(0);

    const again = await runSmoke(httpRequest, opts());
    expect(again.ok).toBe(true);
    expect(again.account?.created).toBe(false);
    expect(JSON.stringify([run, again])).not.toContain(account.password);
  }, 30_000);

  it("ping alone and ping + home page work without an account", async () => {
    expect(names(await runSmoke(httpRequest, opts({ steps: ["ping"], account: undefined })))).toEqual(["ping: ok"]);
    expect(names(await runSmoke(httpRequest, opts({ steps: ["ping", "home"], account: undefined })))).toEqual([
      "ping: ok",
      "home page: ok",
    ]);
  }, 15_000);

  it("a proxy that serves thumbnails as text: the thumbnail step fails, the upload is removed all the same", async () => {
    proxy.faults.thumbnailType = "text/plain";
    try {
      const run = await runSmoke(httpRequest, opts());
      expect(run.ok).toBe(false);
      expect(describeSmokeFailure(run)).toMatch(
        /^Smoke step "thumbnail" failed: answered 200 \(text\/plain, \d+ bytes\): the thumbnail is not served as an image/,
      );
      expect(run.steps.find((s) => s.name === "cleanup")).toMatchObject({ ok: true, detail: "removed 1 smoke upload" });
      expect(await smokeImages()).toBe(0);
    } finally {
      delete proxy.faults.thumbnailType;
    }
  }, 30_000);

  it("storage pool: pass as the app made it; a wrong public_base_url fails with the UPDATE, which repairs it", async () => {
    const ok = await checkStoragePool(query, { publicDomain: publicUrl, publicUrl });
    expect(ok.status).toBe("pass");
    expect(ok.evidence.pool).toMatchObject({ publicBaseUrl: publicUrl, uploadApiUrl: `${publicUrl}/api/internal/upload` });

    await query("UPDATE storage_pools SET public_base_url = 'http://localhost:8080' WHERE is_default = 1");
    const bad = await checkStoragePool(query, { publicDomain: publicUrl, publicUrl });
    expect(bad.status).toBe("fail");
    expect(bad.summary).toMatch(/public_base_url is http:\/\/localhost:8080, not http:\/\/127\.0\.0\.1:\d+/);
    // What the operator would see in the smoke run meanwhile: the thumbnail URL points elsewhere.
    const run = await runSmoke(httpRequest, opts());
    expect(run.steps.find((s) => s.name === "thumbnail")?.error).toMatch(/points to http:\/\/localhost:8080/);
    expect(await smokeImages()).toBe(0);

    await query(bad.fix!.sql!);
    expect((await checkStoragePool(query, { publicDomain: publicUrl, publicUrl })).status).toBe("pass");
  }, 30_000);

  it("storage pool: unknown on a database the app never started on", async () => {
    standin.rootSql("CREATE DATABASE px_never_started");
    const fresh = await mysql.createConnection({ host: "127.0.0.1", port: standin.dbPort, ...standin.db, database: "px_never_started" });
    try {
      const res = await checkStoragePool(async (sql) => (await fresh.query<RowDataPacket[]>(sql))[0], { publicDomain: publicUrl });
      expect(res.status).toBe("unknown");
    } finally {
      await fresh.end();
    }
  }, 15_000);

  // Last: the cache stays down.
  it("Redis stopped: the account step fails, naming the step, and the steps after it are skipped", async () => {
    await standin.stopRedis();
    const run = await runSmoke(httpRequest, opts());
    expect(names(run)).toEqual([
      "ping: ok",
      "home page: ok",
      "register / log in: FAILED",
      "upload: skipped",
      "thumbnail: skipped",
      "direct upload: ok",
      "cleanup: skipped",
    ]);
    expect(describeSmokeFailure(run)).toMatch(
      /^Smoke step "register \/ log in" failed: answered 503 \(application\/json, \d+ bytes\): the app could not store the session: is the cache/,
    );
  }, 30_000);
});
