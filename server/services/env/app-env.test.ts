import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { Actor } from "@/server/services/auth/actor";
import { diffEnvVersion, listEnvVersions, readEnvVersion, restoreEnvVersion, saveEnvVersion } from "./app-env";
import { deployEnv } from "./deploy-env";

const admin: Actor = { kind: "user", id: null, label: "admin@example.com", role: "ADMIN" };
let stackId = "";

beforeAll(async () => {
  process.env.PANEL_SECRET = "app-env-test-secret-0123456789abcdef01234";
  stackId = (
    await db.stack.create({
      data: { name: "pixelfox", publicDomain: "http://example.test", imageRepository: "127.0.0.1:5000/pixelfox/app" },
    })
  ).id;
});
afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

describe("the managed app environment", () => {
  it("is unmanaged until a version is saved; versions count up, stay encrypted and feed the deploy", async () => {
    expect(await deployEnv(stackId)).toBeNull();
    await expect(saveEnvVersion("pixelfox", "DB_HOST=db\nnot a line\n", "", admin)).rejects.toThrow(/Line 2: Expected KEY=VALUE/);
    await expect(saveEnvVersion("pixelfox", "# only a comment\n", "", admin)).rejects.toThrow(/empty/);
    const v1 = await saveEnvVersion("pixelfox", "DB_HOST=db\nDB_PASSWORD=s3cret-value\n", "first", admin);
    const v2 = await saveEnvVersion("pixelfox", "DB_HOST=db2\nDB_PASSWORD=s3cret-value\nFLAG=on\n", "", admin);
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect((await db.envVersion.findUniqueOrThrow({ where: { id: v2.id } })).contentEnc).not.toContain("s3cret");
    expect(await deployEnv(stackId)).toEqual({ version: 2, entries: ["DB_HOST=db2", "DB_PASSWORD=s3cret-value", "FLAG=on"] });
    expect((await readEnvVersion(v2.id, false)).entries).toContainEqual(["DB_PASSWORD", "•••••• (12 characters)"]);
    expect((await readEnvVersion(v2.id, true)).text).toContain("DB_PASSWORD=s3cret-value");
    expect(await diffEnvVersion(v2.id)).toEqual([
      { key: "DB_HOST", change: "changed", from: "db", to: "db2" },
      { key: "FLAG", change: "added", from: null, to: "on" },
    ]);

    const v3 = await restoreEnvVersion(v1.id, admin);
    expect(v3).toMatchObject({ version: 3, note: "restored from version 1" });
    expect((await deployEnv(stackId))?.entries).toEqual(["DB_HOST=db", "DB_PASSWORD=s3cret-value"]);
    expect((await listEnvVersions("pixelfox")).map((v) => v.version)).toEqual([3, 2, 1]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "env.save" }, orderBy: { id: "desc" } });
    expect(audit.details).not.toContain("s3cret");
  });
});
