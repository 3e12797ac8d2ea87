import { removeTestDataDir, testDataDir } from "@/server/jobs/testing/test-db";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { markInterruptedBackups } from "./interrupted-backups";

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

describe("markInterruptedBackups", () => {
  it("fails a backup the stopped panel was taking, deletes its partial file, and marks a running drill interrupted", async () => {
    const base = { stackId: "s1", actorLabel: "alice@example.com", kind: "mysql" };
    const dir = path.join(testDataDir, "backups");
    mkdirSync(dir, { recursive: true });
    const partial = await db.backup.create({ data: { ...base, status: "running", jobId: "gone-job", fileName: "pending" } });
    await db.backup.update({ where: { id: partial.id }, data: { fileName: `${partial.id}.sql.gz` } });
    writeFileSync(path.join(dir, `${partial.id}.sql.gz`), "half a dump");
    const good = await db.backup.create({
      data: { ...base, status: "good", verified: true, fileName: "goodbackup01.sql.gz", drillStatus: "running" },
    });
    writeFileSync(path.join(dir, "goodbackup01.sql.gz"), "a whole dump");

    const summary = await markInterruptedBackups(new Date("2026-12-02T04:00:00Z"));

    expect(summary).toEqual({ backups: 1, drills: 1 });
    const failed = await db.backup.findUniqueOrThrow({ where: { id: partial.id } });
    expect(failed).toMatchObject({ status: "failed", verified: false });
    expect(failed.error).toMatch(/panel stopped while this backup was being taken \(restart at 2026-12-02 04:00:00 UTC\)/);
    expect(existsSync(path.join(dir, `${partial.id}.sql.gz`))).toBe(false);
    // The good backup and its file are untouched; only its drill is marked as proving nothing.
    const kept = await db.backup.findUniqueOrThrow({ where: { id: good.id } });
    expect(kept).toMatchObject({ status: "good", verified: true, drillStatus: "interrupted" });
    expect(JSON.parse(kept.drillDetails!).error).toMatch(/dropped by the next drill/);
    expect(existsSync(path.join(dir, "goodbackup01.sql.gz"))).toBe(true);
    // Run again (another restart): nothing left to mark.
    expect(await markInterruptedBackups()).toEqual({ backups: 0, drills: 0 });
  });
});
