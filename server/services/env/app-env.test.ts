import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { Actor } from "@/server/services/auth/actor";
import { listAcceptedRisks } from "@/server/services/security-audit/accepted-risks";
import { diffEnvVersion, listEnvVersions, readEnvVersion, restoreEnvVersion, saveEnvVersion } from "./app-env";
import { deployEnv } from "./deploy-env";

const admin: Actor = { kind: "user", id: null, label: "admin@example.com", role: "ADMIN" };
const deployer: Actor = { kind: "user", id: null, label: "deployer@example.com", role: "DEPLOYER" };
let stackId = "";
/** A database password as `openssl rand -hex 16` makes it (the rules refuse guessable ones). */
const DB_PW = `s3cret-${randomBytes(16).toString("hex")}`;

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
    const v1 = await saveEnvVersion("pixelfox", `DB_HOST=db\nDB_PASSWORD=${DB_PW}\n`, "first", admin);
    const v2 = await saveEnvVersion("pixelfox", `DB_HOST=db2\nDB_PASSWORD=${DB_PW}\nFLAG=on\n`, "", admin);
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect((await db.envVersion.findUniqueOrThrow({ where: { id: v2.id } })).contentEnc).not.toContain("s3cret");
    expect(await deployEnv(stackId)).toEqual({ version: 2, entries: ["DB_HOST=db2", `DB_PASSWORD=${DB_PW}`, "FLAG=on"] });
    expect((await readEnvVersion(v2.id, false)).entries).toContainEqual(["DB_PASSWORD", `•••••• (${DB_PW.length} characters)`]);
    expect((await readEnvVersion(v2.id, true)).text).toContain(`DB_PASSWORD=${DB_PW}`);
    expect(await diffEnvVersion(v2.id)).toEqual([
      { key: "DB_HOST", change: "changed", from: "db", to: "db2" },
      { key: "FLAG", change: "added", from: null, to: "on" },
    ]);

    const v3 = await restoreEnvVersion(v1.id, admin);
    expect(v3).toMatchObject({ version: 3, note: "restored from version 1" });
    expect((await deployEnv(stackId))?.entries).toEqual(["DB_HOST=db", `DB_PASSWORD=${DB_PW}`]);
    expect((await listEnvVersions("pixelfox")).map((v) => v.version)).toEqual([3, 2, 1]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "env.save" }, orderBy: { id: "desc" } });
    expect(audit.details).not.toContain("s3cret");
  });
});

describe("the plan's secret rules on save", () => {
  const rejection = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: { code: string; message: string; data?: Record<string, unknown> }) => e,
    );
  const versions = () => db.envVersion.count({ where: { stackId } });
  const latestSave = async () =>
    JSON.parse(
      (await db.auditEvent.findFirstOrThrow({ where: { action: "env.save" }, orderBy: { id: "desc" } })).details ?? "{}",
    ) as Record<string, unknown>;

  it("refuses the template's placeholder secret, naming key and rule, saving nothing", async () => {
    const before = await versions();
    const err = await rejection(saveEnvVersion("pixelfox", "DB_HOST=db\nUPLOAD_TOKEN_SECRET=change_this_secret\n", "", admin));
    expect(err).toMatchObject({
      code: "BAD_REQUEST",
      data: { field: "content", violations: [{ key: "UPLOAD_TOKEN_SECRET", rule: "secret-placeholder" }] },
    });
    expect(err!.message).toMatch(/^UPLOAD_TOKEN_SECRET is a placeholder .*\(rule secret-placeholder\).* Nothing was saved/);
    expect(err!.message).not.toContain("change_this_secret");
    expect(await versions()).toBe(before);
  });

  it("wants PUBLIC_DOMAIN on the stack's domain (http allowed only because the stack itself is on http)", async () => {
    const err = await rejection(saveEnvVersion("pixelfox", "PUBLIC_DOMAIN=http://other.test\n", "", admin));
    expect(err?.data?.violations).toEqual([expect.objectContaining({ key: "PUBLIC_DOMAIN", rule: "public-domain-https" })]);
    await expect(saveEnvVersion("pixelfox", "PUBLIC_DOMAIN=http://example.test\n", "", admin)).resolves.toMatchObject({
      keys: ["PUBLIC_DOMAIN"],
    });
  });

  it("saves an admin's override with its reason as an accepted risk, ignores overrides of rules not broken, and honours the risk later", async () => {
    const text = `DB_PASSWORD=${DB_PW}\nUPLOAD_TOKEN_SECRET=change_this_secret\n`;
    const override = {
      rule: "secret-placeholder",
      key: "UPLOAD_TOKEN_SECRET",
      reason: "  the sandbox shares this value with the test app  ",
    };
    const unused = { rule: "secret-weak", key: "REPLICATION_SECRET", reason: "no such violation here" };
    const before = await versions();
    expect(await rejection(saveEnvVersion("pixelfox", text, "", deployer, [override]))).toMatchObject({ code: "FORBIDDEN" });
    expect(await versions()).toBe(before);
    expect(await rejection(saveEnvVersion("pixelfox", text, "", admin, [{ ...override, reason: " too short " }]))).toMatchObject({
      code: "BAD_REQUEST",
      data: { field: "overrides" },
    });
    expect(await listAcceptedRisks(stackId)).toEqual([]);

    const saved = await saveEnvVersion("pixelfox", text, "", admin, [override, unused]);
    expect((await readEnvVersion(saved.id, true)).text).toBe(text);
    expect(await listAcceptedRisks(stackId)).toEqual([
      expect.objectContaining({
        rule: "secret-placeholder",
        subject: "UPLOAD_TOKEN_SECRET",
        reason: override.reason.trim(),
        acceptedBy: admin.label,
      }),
    ]);
    expect(await db.auditEvent.count({ where: { action: "security.risk-accepted" } })).toBe(1);
    expect(await latestSave()).toMatchObject({
      version: saved.version,
      risksAccepted: [{ rule: "secret-placeholder", key: "UPLOAD_TOKEN_SECRET", reason: override.reason.trim() }],
    });

    // The accepted risk stands for that rule and key (until revoked); any other broken rule is still refused.
    const next = await saveEnvVersion("pixelfox", `${text}FLAG=on\n`, "", admin);
    expect(await latestSave()).toMatchObject({
      version: next.version,
      risksAcceptedBefore: [{ rule: "secret-placeholder", key: "UPLOAD_TOKEN_SECRET" }],
    });
    const err = await rejection(saveEnvVersion("pixelfox", `${text}REPLICATION_SECRET=${"a".repeat(40)}\n`, "", admin));
    expect(err?.data?.violations).toEqual([expect.objectContaining({ key: "REPLICATION_SECRET", rule: "secret-weak" })]);
  });
});
