import "@/server/jobs/testing/test-db";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import type { Actor } from "@/server/services/auth/actor";
import { deleteStack } from "./stacks";

const admin: Actor = { kind: "user", id: null, label: "admin@example.com", role: "ADMIN" };

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

async function stackWithState(name: string) {
  const stack = await db.stack.create({
    data: { name, publicDomain: "https://example.test", imageRepository: "registry.example.test/pixelfox/app" },
  });
  await db.backupSchedule.create({ data: { stackId: stack.id, cron: "0 3 * * *" } });
  await db.healthSnapshot.create({ data: { stackId: stack.id, at: new Date(), data: "{}" } });
  await db.offsiteStorage.create({
    data: { stackId: stack.id, endpoint: "http://127.0.0.1:4569", bucket: "b", accessKeyId: "k", secretAccessKeyEnc: "x" },
  });
  return stack;
}

describe("deleteStack", () => {
  it("refuses while backups exist, naming how many, and deletes nothing", async () => {
    const stack = await stackWithState("keeps-backups");
    await db.backup.create({ data: { stackId: stack.id, fileName: "abcdefgh1.sql.gz", status: "good", actorLabel: "t" } });
    await expect(deleteStack(stack.id, admin)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("still has 1 backup on record"),
    });
    expect(await db.stack.count({ where: { id: stack.id } })).toBe(1);
    expect(await db.backupSchedule.count({ where: { stackId: stack.id } })).toBe(1);
  });

  it("deletes the stack with its schedules, off-site settings and last sweep, and audits it", async () => {
    const stack = await stackWithState("goes");
    await deleteStack(stack.name, admin);
    expect(await db.stack.count({ where: { id: stack.id } })).toBe(0);
    for (const n of [
      db.backupSchedule.count({ where: { stackId: stack.id } }),
      db.offsiteStorage.count({ where: { stackId: stack.id } }),
      db.healthSnapshot.count({ where: { stackId: stack.id } }),
    ])
      expect(await n).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "stack.delete", target: "goes" } })).toBe(1);
  });
});
