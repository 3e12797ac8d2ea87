import "@/server/jobs/testing/test-db";
import { createHash, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFleetStatus, type FleetStatus } from "@/fleet/lib/index";
import { createS3Target } from "@/server/adapters/s3/client";
import { deleteObject, headObject, listObjects } from "@/server/adapters/s3/objects";
import { createBackupWriteStream } from "@/server/adapters/storage/backup-store";
import { db } from "@/server/db";
import { readJobLog, waitForJob } from "@/server/jobs/queries";
import { startJob } from "@/server/jobs/runner";
import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import type { Actor } from "@/server/services/auth/actor";
import { applyRetention } from "@/server/services/schedules/apply-retention";
import { deleteBackup } from "@/server/services/backups/delete-backup";
import { getBackupHealth } from "@/server/services/backups/backup-health";
import { copyBackupOffsite, OFFSITE_STEP } from "./offsite-copy";
import { saveOffsiteSettings } from "./offsite-settings";
import { testOffsiteStorage } from "./offsite-test";

const admin: Actor = { kind: "user", id: null, label: "admin@example.com", role: "ADMIN" };
const prefix = `int-offsite-${randomBytes(4).toString("hex")}/`;
let s3: FleetStatus["s3"];
let stackId = "";

beforeAll(async () => {
  s3 = (await readFleetStatus()).s3;
  if (!s3.running) throw new Error("The fleet's S3 server is not running: `npm run fleet -- up` starts it.");
  stackId = (
    await db.stack.create({
      data: { name: "pixelfox", publicDomain: "http://example.test", imageRepository: "127.0.0.1:5000/pixelfox/app" },
    })
  ).id;
});

afterAll(async () => {
  const t = createS3Target(settings(s3.secretAccessKey));
  for (const o of await listObjects(t, prefix)) await deleteObject(t, o.key);
  await db.$disconnect();
  removeTestDataDir();
});

const settings = (secret: string) => ({
  enabled: true,
  endpoint: s3.endpoint,
  region: s3.region,
  bucket: s3.bucket,
  prefix,
  forcePathStyle: true,
  accessKeyId: s3.accessKeyId,
  secretAccessKey: secret,
});

/** A good, verified backup row with a real (small) gzip file in the store. */
async function goodBackup(createdAt: Date): Promise<{ id: string; sha256: string }> {
  const row = await db.backup.create({
    data: { stackId, kind: "mysql", status: "good", verified: true, fileName: "pending", actorLabel: "test", createdAt },
  });
  const fileName = `${row.id}.sql.gz`;
  const body = gzipSync(Buffer.concat([randomBytes(300_000), Buffer.from("\n-- Dump completed\n")]));
  const out = await createBackupWriteStream(fileName);
  await new Promise<void>((resolve, reject) => out.end(body, () => resolve()).on("error", reject));
  const sha256 = createHash("sha256").update(body).digest("hex");
  await db.backup.update({ where: { id: row.id }, data: { fileName, sha256, sizeBytes: body.length } });
  return { id: row.id, sha256 };
}

async function copyAsJob(backupId: string) {
  const { jobId } = await startJob({ kind: "offsite", title: "copy", stackId, actor: admin, steps: [OFFSITE_STEP] }, (job) =>
    copyBackupOffsite(job, backupId, OFFSITE_STEP.key),
  );
  return { job: await waitForJob(jobId), log: (await readJobLog(jobId)).map((l) => l.text).join("\n") };
}

describe("off-site copies against the fleet's S3 server", () => {
  it("copies, verifies and records a backup; health turns green only then", async () => {
    const b = await goodBackup(new Date(Date.now() - 3 * 86_400_000));
    const skipped = await copyAsJob(b.id);
    expect(skipped.job.status).toBe("succeeded");
    expect(skipped.job.steps[0]?.status).toBe("skipped");
    expect((await getBackupHealth(stackId)).offsite.state).toBe("off");

    await saveOffsiteSettings("pixelfox", settings(s3.secretAccessKey), admin);
    expect((await getBackupHealth(stackId)).offsite.state).toBe("pending");
    expect((await testOffsiteStorage("pixelfox", admin)).ok).toBe(true);
    const { job, log } = await copyAsJob(b.id);
    expect(job.status).toBe("succeeded");
    expect(log).toContain(`Verified off-site: `);
    expect(log).not.toContain(s3.secretAccessKey);
    const row = await db.backup.findUniqueOrThrow({ where: { id: b.id } });
    expect(row.offsiteStatus).toBe("uploaded");
    expect(row.offsiteKey).toBe(`${prefix}${b.id}.sql.gz`);
    const head = await headObject(createS3Target({ ...settings(s3.secretAccessKey) }), row.offsiteKey ?? "");
    expect(head?.metadata.sha256).toBe(b.sha256);
    expect((await getBackupHealth(stackId)).offsite.state).toBe("ok");
  });

  it("a refused upload keeps the backup good, records the reason, fails the job and turns health red", async () => {
    const b = await goodBackup(new Date(Date.now() - 2 * 86_400_000));
    await saveOffsiteSettings("pixelfox", settings("not-the-secret"), admin);
    const test = await testOffsiteStorage("pixelfox", admin);
    expect(test).toMatchObject({ ok: false, reason: "auth", steps: [{ step: "write", ok: false }] });
    const { job } = await copyAsJob(b.id);
    expect(job.status).toBe("failed");
    expect(job.error).toContain(`Backup ${b.id} is good and kept locally, but its off-site copy failed`);
    const row = await db.backup.findUniqueOrThrow({ where: { id: b.id } });
    expect(row.status).toBe("good");
    expect(row.offsiteStatus).toBe("failed");
    expect(row.offsiteError).toContain(`${s3.endpoint} (bucket ${s3.bucket}) refused the credentials (SignatureDoesNotMatch`);
    const health = (await getBackupHealth(stackId)).offsite;
    expect(health).toMatchObject({ state: "failed", backupId: b.id });
    const audit = await db.auditEvent.findMany({ where: { action: { startsWith: "offsite." } } });
    expect(JSON.stringify(audit)).not.toContain("not-the-secret");
    expect(JSON.stringify(audit)).not.toContain(s3.secretAccessKey);
  });

  it("retention deletes the off-site object with the local file, and records an off-site delete that failed", async () => {
    await saveOffsiteSettings("pixelfox", settings(s3.secretAccessKey), admin);
    const uploaded = await db.backup.findMany({ where: { stackId, offsiteStatus: { in: ["uploaded", "failed"] } } });
    for (const b of uploaded) expect((await copyAsJob(b.id)).job.status).toBe("succeeded");
    const newest = await goodBackup(new Date());
    const oldest = uploaded.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0]!;
    const middle = uploaded.find((b) => b.id !== oldest.id)!;
    const t = createS3Target(settings(s3.secretAccessKey));
    const key = (id: string) => `${prefix}${id}.sql.gz`;
    expect(await headObject(t, key(oldest.id))).not.toBeNull();

    // The off-site delete of the middle one will be refused: its local deletion is still recorded.
    const lines: string[] = [];
    await saveOffsiteSettings("pixelfox", settings("wrong-again"), admin);
    await db.backup.update({ where: { id: oldest.id }, data: { createdAt: new Date(Date.now() - 10 * 86_400_000) } });
    const removed = await applyRetention(stackId, { keepLast: 1, keepDaily: 0, keepWeekly: 0 }, admin, (l) => lines.push(l));
    expect(removed.sort()).toEqual([oldest.id, middle.id].sort());
    expect(lines.join("\n")).toContain(`Warning: Off-site object ${key(middle.id)} was not deleted`);
    const events = await db.auditEvent.findMany({ where: { action: "backup.retention.delete" } });
    expect(events).toHaveLength(2);
    for (const e of events) expect(JSON.parse(e.details)).toMatchObject({ offsiteDeleted: false });
    expect(await db.backup.count({ where: { id: { in: removed } } })).toBe(0);

    // With working credentials the object goes with the backup.
    await saveOffsiteSettings("pixelfox", settings(s3.secretAccessKey), admin);
    expect((await copyAsJob(newest.id)).job.status).toBe("succeeded");
    const newer = await goodBackup(new Date(Date.now() + 1000));
    const gone = await applyRetention(stackId, { keepLast: 1, keepDaily: 0, keepWeekly: 0 }, admin, (l) => lines.push(l));
    expect(gone).toEqual([newest.id]);
    expect(await headObject(t, key(newest.id))).toBeNull();
    expect(lines.join("\n")).toContain(`off-site object ${key(newest.id)} deleted`);
    expect(newer.id).toBeTruthy();
  });

  it("deleting a backup by hand deletes its off-site object too, and says so when that fails", async () => {
    await saveOffsiteSettings("pixelfox", settings(s3.secretAccessKey), admin);
    const t = createS3Target(settings(s3.secretAccessKey));
    const key = (id: string) => `${prefix}${id}.sql.gz`;
    const a = await goodBackup(new Date(Date.now() - 60_000));
    const b = await goodBackup(new Date(Date.now() - 30_000));
    for (const x of [a, b]) expect((await copyAsJob(x.id)).job.status).toBe("succeeded");

    expect(await deleteBackup(a.id, admin)).toEqual({ warning: null });
    expect(await headObject(t, key(a.id))).toBeNull();
    expect(await db.backup.count({ where: { id: a.id } })).toBe(0);

    await saveOffsiteSettings("pixelfox", settings("wrong-secret"), admin);
    const { warning } = await deleteBackup(b.id, admin);
    expect(warning).toContain(`Off-site object ${key(b.id)} was not deleted`);
    expect(await db.backup.count({ where: { id: b.id } })).toBe(0);
    expect(await headObject(t, key(b.id))).not.toBeNull();
    const events = await db.auditEvent.findMany({
      where: { action: "backup.delete", target: { in: [`backup:${a.id}`, `backup:${b.id}`] } },
    });
    expect(events.map((e) => JSON.parse(e.details).offsiteDeleted).sort()).toEqual([false, true]);
    await saveOffsiteSettings("pixelfox", settings(s3.secretAccessKey), admin);
  });
});
