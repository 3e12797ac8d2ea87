import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import type { Stack } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/server/crypto";
import { db } from "@/server/db";
import type { Actor } from "@/server/services/auth/actor";
import { checkAppEnvRules } from "@/server/services/security-audit/secret-rules";
import { buildAppSpec, buildCacheSpec, buildDbSpec } from "./role-specs";
import { buildLayout, ensureAppEnv, privateAddressOf, readPlacement, readPlacementLoose } from "./stack-layout";

const admin: Actor = { kind: "user", id: null, label: "admin@example.com", role: "ADMIN" };
let stack: Stack;
const hosts: Record<string, string> = {};

const createHost = async (name: string, privateAddress: string | null, pinned = true) =>
  (hosts[name] = (
    await db.host.create({
      data: {
        name,
        address: `203.0.113.${Object.keys(hosts).length + 10}`,
        privateAddress,
        sshUser: "root",
        privateKeyEnc: encryptSecret("placeholder-key", "host.privateKey"),
        hostKeyFingerprint: pinned ? `SHA256:${"A".repeat(43)}` : null,
        hostKeyState: pinned ? "PINNED" : "UNPINNED",
      },
    })
  ).id);
const place = (kind: string, host: string) =>
  db.service.create({ data: { stackId: stack.id, hostId: hosts[host]!, kind, containerName: `pxlfox-${kind}` } });
const placementError = () =>
  readPlacement(stack, "going live").then(
    () => "no error",
    (e: Error) => e.message,
  );

beforeAll(async () => {
  process.env.PANEL_SECRET = "stack-layout-test-secret-0123456789abcdef";
  stack = await db.stack.create({
    data: { name: "pixelfox", publicDomain: "https://pixelfox.cc/", imageRepository: "ghcr.io/pixelfox/pixelfox" },
  });
  await createHost("data1", "10.0.0.10");
  await createHost("cache1", "10.0.0.20");
  await createHost("app2", "10.0.0.31");
  await createHost("app1", "10.0.0.30");
  await createHost("new1", null, false);
});
afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

describe("readPlacement", () => {
  it("names each missing role and where to place it, in the plan's order", async () => {
    await expect(readPlacementLoose(stack, "exporting")).rejects.toThrow(
      "Stack pixelfox has no services: place them on their hosts first (Stack → Services).",
    );
    expect(await placementError()).toBe("Stack pixelfox has no db service: place one on a host (Stack → Services) before going live.");
    await place("db", "data1");
    expect(await placementError()).toBe("Stack pixelfox has no cache service: place one on a host (Stack → Services) before going live.");
    await place("cache", "cache1");
    expect(await placementError()).toMatch(/^Stack pixelfox has no proxy service: place one on a host/);
    await place("proxy", "app1");
    expect(await placementError()).toBe("Stack pixelfox has no app service: place one on a host before going live.");
  });

  it("refuses a role on a host whose key is not verified, naming the host and what to do", async () => {
    const storage = await place("storage", "new1");
    await place("app", "app2");
    await expect(readPlacement(stack, "going live")).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      host: "new1",
      message: "Host new1 has no verified host key (unpinned): verify and pin it before going live",
    });
    await db.service.delete({ where: { id: storage.id } });
  });

  it("orders the app hosts by name and gives one target per host", async () => {
    await place("app", "app1");
    const p = await readPlacement(stack, "going live");
    expect(p.apps.map((a) => a.host.name)).toEqual(["app1", "app2"]);
    expect([...p.targets.values()].map((t) => t.name).sort()).toEqual(["app1", "app2", "cache1", "data1"]);
    expect(privateAddressOf(p.db.host)).toBe("10.0.0.10");
    expect(privateAddressOf({ ...p.db.host, privateAddress: null })).toBe(p.db.host.address);
  });
});

describe("the first go-live's environment and layout", () => {
  it("generates the plan's env for where the services are placed, every secret random and distinct, saved as version 1", async () => {
    const p = await readPlacement(stack, "going live");
    const { entries, note } = await ensureAppEnv(p, admin);
    expect(note).toMatch(/^generated the app's environment as version 1 /);
    const env = Object.fromEntries(entries);
    expect(env).toMatchObject({
      PUBLIC_DOMAIN: "https://pixelfox.cc",
      DB_HOST: "10.0.0.10",
      DB_PORT: "3306",
      CACHE_HOST: "10.0.0.20",
      CACHE_PORT: "6379",
    });
    const secrets = ["DB_PASSWORD", "CACHE_PASSWORD", "UPLOAD_TOKEN_SECRET", "REPLICATION_SECRET"].map((k) => env[k]!);
    for (const s of secrets) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(secrets).size).toBe(4);
    // The generated env keeps every rule of the plan, judged as the audit judges it (the app in its own network).
    expect(checkAppEnvRules(entries, { inContainer: true, proxyDomain: stack.publicDomain })).toEqual([]);
    expect((await db.envVersion.findFirstOrThrow({ where: { stackId: stack.id } })).contentEnc).not.toContain(env.DB_PASSWORD);
  });

  it("gives the db and cache the passwords and the app the hosts of its env; the db root password is kept encrypted and reused", async () => {
    const p = await readPlacement(stack, "going live");
    const { entries, note } = await ensureAppEnv(p, admin);
    expect(note).toBe("using the app's environment version 1");
    const env = Object.fromEntries(entries);
    const layout = await buildLayout(p, entries, "v1.4.0");
    expect(layout.appImage).toBe("ghcr.io/pixelfox/pixelfox:v1.4.0");
    expect(layout.hosts).toEqual({ db: "10.0.0.10", cache: "10.0.0.20", app: ["10.0.0.30", "10.0.0.31"], proxy: "10.0.0.30", storage: [] });
    const [dbSpec, cache, app1, app2] = [buildDbSpec(layout), buildCacheSpec(layout), buildAppSpec(layout, 0), buildAppSpec(layout, 1)];
    expect(dbSpec.env).toMatchObject({ MYSQL_PASSWORD: env.DB_PASSWORD, MYSQL_USER: env.DB_USER, MYSQL_DATABASE: env.DB_NAME });
    expect(cache.env).toEqual({ DFLY_requirepass: env.CACHE_PASSWORD });
    expect(app1.env).toMatchObject({ DB_HOST: dbSpec.ports[0]!.hostIp, CACHE_HOST: cache.ports[0]!.hostIp, DB_PASSWORD: env.DB_PASSWORD });
    expect(app1.ports[0]!.hostIp).toBe("127.0.0.1"); // app1 carries the proxy
    expect(app2.ports[0]!.hostIp).toBe("10.0.0.31"); // the proxy dials app2 on its private address
    const root = layout.secrets.dbRootPassword;
    expect(root).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(root).not.toBe(env.DB_PASSWORD);
    expect(checkAppEnvRules([["DB_PASSWORD", root]], { requireKeys: false })).toEqual([]);
    const stored = await db.service.findUniqueOrThrow({ where: { id: p.db.id } });
    expect(stored.settingsEnc).not.toContain(root);
    expect((await buildLayout({ ...p, db: { ...stored, host: p.db.host } }, entries, "v1.4.0")).secrets.dbRootPassword).toBe(root);
  });

  it("refuses a managed env that points elsewhere than the db is placed, naming both and changing nothing", async () => {
    const db1 = await db.service.findFirstOrThrow({ where: { stackId: stack.id, kind: "db" } });
    await createHost("data2", "10.0.0.11");
    await db.service.update({ where: { id: db1.id }, data: { hostId: hosts.data2! } });
    const p = await readPlacement(stack, "going live");
    await expect(ensureAppEnv(p, admin)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      data: { field: "env" },
      message: expect.stringMatching(
        /version 1\) does not match .*DB_HOST is 10\.0\.0\.10, the service is on 10\.0\.0\.11\. .*Nothing was changed\.$/,
      ),
    });
    expect(await db.envVersion.count({ where: { stackId: stack.id } })).toBe(1);
    await db.service.update({ where: { id: db1.id }, data: { hostId: hosts.data1! } });
  });

  it("refuses a managed env without the cache password the cache is provisioned with", async () => {
    const { saveEnvVersion } = await import("@/server/services/env/app-env");
    await saveEnvVersion("pixelfox", "DB_HOST=10.0.0.10\nCACHE_HOST=10.0.0.20\nDB_PASSWORD=Xq7Lm2Rv9Kt4Wz8NcH3b\n", "", admin);
    await expect(ensureAppEnv(await readPlacement(stack, "going live"), admin)).rejects.toMatchObject({
      data: { field: "env" },
      message:
        "The app's environment (version 2) has no CACHE_PASSWORD: the cache is provisioned with it. Add it under Stack → App environment.",
    });
  });
});
