import type { Backup } from "@prisma/client";
import { runContainerSql } from "@/server/adapters/mysql/container-sql";
import { hashBackupFile, openBackupPlainStream, readGzipTail } from "@/server/adapters/storage/backup-store";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { listLiveJobIds } from "@/server/jobs/registry";
import { startJob } from "@/server/jobs/runner";
import type { JobContext } from "@/server/jobs/types";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import { getBackupRow } from "@/server/services/backups/backups";
import { resolveDbTarget, type DbTarget } from "@/server/services/database/db-target";
import { compareDrill, type DrillComparison } from "./drill-compare";
import { digestDatabase } from "./drill-digest";
import { DIGEST_PREFIX } from "@/server/services/backups/dump-row-counter";
import { buildRestoreArgv, cleanStderr, DUMP_TRAILER, reportedExit, restoreRefusal } from "@/server/services/backups/dump-commands";

/** What a drill records on the backup (drillDetails, JSON). */
export interface DrillDetails {
  scratchDatabase: string;
  jobId: string;
  error: string | null;
  comparison: DrillComparison | null;
}

/**
 * Starts a restore drill of a good backup (DEPLOYER and up): the file is checked (sha256, complete
 * gzip, dump trailer), restored into a scratch database `pxf_drill_<job>` on the db host, its
 * per-table row counts compared with those recorded at backup time and its rows, dumped again,
 * digested and compared with the digests of the backup's own dump, and the scratch
 * database dropped whatever happens. Pass or fail is recorded on the backup. Audited.
 */
export async function startDrill(backupId: string, actor: Actor): Promise<{ jobId: string }> {
  const backup = await getBackupRow(backupId);
  if (backup.status !== "good")
    throw new AppError("PRECONDITION_FAILED", "Only a good backup can be drilled; this one is " + backup.status + ".");
  if (backup.kind !== "mysql")
    throw new AppError(
      "PRECONDITION_FAILED",
      "Restore drills are for database dumps; this backup is an uploads archive (it was verified when it was taken).",
    );
  const stack = await getStackRow(backup.stackId);
  await db.backup.update({ where: { id: backup.id }, data: { drillStatus: "running" } });
  try {
    const { jobId } = await startJob(
      {
        kind: "drill",
        title: `Restore drill of ${stack.name} backup ${backup.id}`,
        stackId: stack.id,
        actor,
        steps: [
          { key: "check", label: "Check the backup file (sha256, gzip, trailer)" },
          { key: "restore", label: "Restore into a scratch database", weight: 3 },
          { key: "compare", label: "Compare row counts and row digests" },
        ],
      },
      (job) => runDrill(job, backup, actor),
    );
    await recordAuditEvent(actor, { action: "backup.drill.start", target: stack.name, details: { backupId: backup.id, jobId } });
    return { jobId };
  } catch (err) {
    await db.backup.update({ where: { id: backup.id }, data: { drillStatus: backup.drillStatus } });
    throw err;
  }
}

async function runDrill(job: JobContext, backup: Backup, actor: Actor) {
  const scratch = `pxf_drill_${job.jobId}`.slice(0, 64);
  const details: DrillDetails = { scratchDatabase: scratch, jobId: job.jobId, error: null, comparison: null };
  try {
    await job.step("check", () => checkBackupFile(job, backup));
    const t = await resolveDbTarget(await getStackRow(backup.stackId));
    job.addSecret(t.rootPassword);
    const isMariaDb = /mariadb/i.test(backup.serverVersion ?? "");
    try {
      await job.step("restore", () => restoreIntoScratch(job, t, backup, scratch, isMariaDb));
      details.comparison = await job.step("compare", () => compareScratch(job, t, backup, scratch, isMariaDb));
    } finally {
      await sql(t, isMariaDb, `DROP DATABASE IF EXISTS \`${scratch}\``, "drop the drill database")
        .then(() => job.log(`Dropped ${scratch}`))
        .catch((err: unknown) => job.log(`Could not drop ${scratch}: ${(err as Error).message}. Drop it by hand.`, "error"));
    }
    if (!details.comparison.passed)
      throw new AppError("PRECONDITION_FAILED", `Drill failed: ${details.comparison.problems.slice(0, 5).join("; ")}`);
    await recordDrill(backup, "passed", details, actor);
    return { backupId: backup.id, drill: "passed" };
  } catch (err) {
    details.error = job.signal.aborted ? "Cancelled" : err instanceof Error ? err.message : String(err);
    await recordDrill(backup, "failed", details, actor);
    throw err;
  }
}

async function recordDrill(backup: Backup, status: "passed" | "failed", details: DrillDetails, actor: Actor) {
  await db.backup
    .update({ where: { id: backup.id }, data: { drillStatus: status, drillAt: new Date(), drillDetails: JSON.stringify(details) } })
    .catch(() => undefined);
  await recordAuditEvent(actor, {
    action: `backup.drill.${status}`,
    target: `backup:${backup.id}`,
    details: { jobId: details.jobId, error: details.error },
    ok: status === "passed",
  });
}

/**
 * The file must still be what was verified: a changed file also loses its `verified` mark. An
 * encrypted file is read through decryption, so a modified chunk fails its authentication here.
 */
async function checkBackupFile(job: JobContext, backup: Backup): Promise<void> {
  const opts = { encrypted: backup.encrypted };
  const asProblem = (err: unknown) => {
    const m = (err as Error).message.replace(/\.$/, "");
    return m.charAt(0).toLowerCase() + m.slice(1);
  };
  let problem = null as string | null;
  const actual = await hashBackupFile(backup.fileName, opts).catch((err: unknown) => {
    problem = asProblem(err);
    return "";
  });
  if (!problem && actual !== backup.sha256) problem = `sha256 is ${actual}, ${backup.sha256 ?? "nothing"} was recorded`;
  if (!problem) {
    const { tail } = await readGzipTail(backup.fileName, opts).catch((err: unknown) => {
      problem = asProblem(err);
      return { tail: "" };
    });
    if (!problem && !tail.includes(DUMP_TRAILER)) problem = `the dump has no completion trailer ("${DUMP_TRAILER}")`;
  }
  if (problem) {
    await db.backup.update({
      where: { id: backup.id },
      data: { verified: false, error: `Verification failed: the file changed since it was taken (${problem}).` },
    });
    throw new AppError("PRECONDITION_FAILED", `The backup file failed verification: ${problem}. It is no longer marked verified.`);
  }
  job.log(
    `sha256 ${actual} matches; gzip stream complete; dump trailer present${backup.encrypted ? "; every encrypted chunk authenticated" : ""}`,
  );
}

async function restoreIntoScratch(job: JobContext, t: DbTarget, backup: Backup, scratch: string, isMariaDb: boolean) {
  await dropAbandonedScratch(job, t, isMariaDb, scratch);
  await sql(
    t,
    isMariaDb,
    `DROP DATABASE IF EXISTS \`${scratch}\`; CREATE DATABASE \`${scratch}\``,
    "create the drill database",
    job.signal,
  );
  job.log(`Created ${scratch} on ${t.target.name}; restoring ${backup.id}`);
  const result = await t.docker.exec(t.container, {
    cmd: buildRestoreArgv(scratch, isMariaDb),
    env: [`MYSQL_PWD=${t.rootPassword}`],
    stdin: await openBackupPlainStream(backup.fileName, { encrypted: backup.encrypted }),
    signal: job.signal,
    action: `restore into ${scratch}`,
  });
  const gunzipExit = reportedExit(result.stderr, "pxf-gunzip-exit");
  const output = cleanStderr(result.stderr);
  if (result.exitCode !== 0 || gunzipExit !== 0) {
    const refusal = restoreRefusal(result.stderr);
    throw new AppError(
      "REMOTE_FAILED",
      `${refusal ? `${refusal} ` : ""}Restore into ${scratch} failed (client status ${result.exitCode ?? "unknown"}, gunzip status ${gunzipExit ?? "unknown"}).${output ? ` Output: ${output}` : ""}`,
      { host: t.target.name, action: "drill restore" },
    );
  }
  if (output) job.log(output, "stderr");
}

async function compareScratch(job: JobContext, t: DbTarget, backup: Backup, scratch: string, isMariaDb: boolean): Promise<DrillComparison> {
  const tables = (
    await sql(
      t,
      isMariaDb,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${scratch}' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      "list drill tables",
      job.signal,
    )
  ).map((r) => r[0] ?? "");
  // Security: names come from information_schema; backticks inside them are doubled. Rows are matched by index, so no name is quoted as a string.
  const ident = (name: string) => `\`${scratch}\`.\`${name.replace(/`/g, "``")}\``;
  const rowCounts: Record<string, number> = {};
  if (tables.length) {
    const counts = await sql(
      t,
      isMariaDb,
      tables.map((n, i) => `SELECT ${i}, COUNT(*) FROM ${ident(n)}`).join(" UNION ALL "),
      "count drill rows",
      job.signal,
    );
    for (const [i, n] of counts) rowCounts[tables[Number(i)]!] = Number(n);
  }
  const recorded = recordedDigests(backup);
  if (recorded === null) job.log("This backup recorded no row digests (taken by an older panel): row counts only", "stderr");
  const checksums = recorded === null ? null : await digestDatabase(job, t, scratch, isMariaDb);
  const result = compareDrill(
    { rowCounts: JSON.parse(backup.rowCounts) as Record<string, number>, checksums: recorded },
    { rowCounts, checksums },
  );
  job.log(
    `${result.tables.length} tables compared${recorded ? " (row counts and row digests)" : " (row counts)"}: ${result.passed ? "all match" : result.problems.join("; ")}`,
    result.passed ? "info" : "error",
  );
  return result;
}

/** The per-table row digests taken from the dump at backup time, or null for a backup without them. */
function recordedDigests(backup: Backup): Record<string, string> | null {
  if (!backup.tableChecksums) return null;
  const all = JSON.parse(backup.tableChecksums) as Record<string, string>;
  return Object.values(all).every((v) => v.startsWith(DIGEST_PREFIX)) ? all : null;
}

/**
 * Scratch databases of drills whose panel stopped mid-way (their job is not running here): dropped
 * before this drill starts, and each one named in the log.
 */
async function dropAbandonedScratch(job: JobContext, t: DbTarget, isMariaDb: boolean, own: string) {
  const rows = await sql(
    t,
    isMariaDb,
    "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'pxf\\_drill\\_%'",
    "list scratch databases of earlier drills",
    job.signal,
  );
  const live = new Set(listLiveJobIds().map((id) => `pxf_drill_${id}`.slice(0, 64)));
  for (const [name] of rows) {
    if (!name || name === own || live.has(name) || !/^pxf_drill_[a-zA-Z0-9_-]+$/.test(name)) continue;
    await sql(t, isMariaDb, `DROP DATABASE IF EXISTS \`${name}\``, `drop ${name}`, job.signal);
    job.log(`Dropped ${name}, left on ${t.target.name} by a drill the panel could not finish`);
  }
}

function sql(t: DbTarget, isMariaDb: boolean, text: string, action: string, signal?: AbortSignal) {
  return runContainerSql({ docker: t.docker, container: t.container, rootPassword: t.rootPassword, isMariaDb, sql: text, signal, action });
}
