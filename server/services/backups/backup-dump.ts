import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { countTableRows, readServerVersion } from "@/server/adapters/mysql/introspect";
import { withMysql } from "@/server/adapters/mysql/mysql-connection";
import { getSshPool } from "@/server/adapters/ssh";
import { describeLostConnection } from "@/server/adapters/ssh/exec-stream";
import { createBackupWriteStream } from "@/server/adapters/storage/backup-store";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import type { DbTarget } from "@/server/services/database/db-target";
import { buildDumpArgv, cleanStderr, DUMP_TRAILER, reportedExit } from "./dump-commands";
import { DumpRowCounter, reconcileCounts } from "./dump-row-counter";
import { describeStoreWriteError, isDiskFullError } from "./store-errors";
import { stopLeftoverDump } from "./stop-dump";
import { checkStoredFile, createBackupMeter, mb } from "./backup-meter";
import { recordBackup } from "./backup-record";

/**
 * Takes a MySQL backup into the store as `<id>.sql.gz`: dump and gzip inside the db container, the
 * compressed stream piped over SSH straight to the file (sha256 and size computed on the way, memory
 * flat) and, on the same bytes, gunzipped and scanned while it streams (complete gzip stream, dump
 * trailer, rows counted and digested per table); then the stored file is read back and must hash to
 * what was received. Any failure deletes the file and records the reason; only a verified backup is
 * marked good.
 */
export async function takeMysqlBackup(
  job: JobContext,
  t: DbTarget,
  input: { reason: string; actorLabel: string; stepKey: string },
): Promise<string> {
  const start = {
    stackId: t.stack.id,
    kind: "mysql" as const,
    reason: input.reason,
    actorLabel: input.actorLabel,
    database: t.database,
    encrypted: t.stack.backupEncryption,
  };
  return recordBackup(job, start, "sql.gz", async ({ id, fileName }) => {
    job.addSecret(t.rootPassword);
    const server = await withMysql(t.target, t.app, readServerVersion);
    await db.backup.update({ where: { id }, data: { serverVersion: server.version } });
    job.log(`Dumping ${t.database} on ${t.target.name} (${server.version})`);
    // Counted on a connection of its own while the dump runs: it lists every table, empty ones included
    // (the dump has no INSERT for those). The counts a drill expects come from the dump itself.
    const live = withMysql(t.target, t.app, countTableRows);
    live.catch(() => undefined); // a failed dump is reported first; this one is then moot
    // The received gzip is gunzipped, checked and scanned (rows counted and digested, in the dump's own
    // snapshot) while it streams; then the stored file must hash to what was received (read through
    // decryption when encrypted, which authenticates every chunk): the file is what was checked.
    const counter = new DumpRowCounter();
    const { sha256, size, inspected } = await streamDumpToFile(job, t, fileName, server.isMariaDb, input.stepKey, counter);
    const { uncompressedBytes, tail } = inspected;
    if (!tail.includes(DUMP_TRAILER))
      throw new AppError("REMOTE_FAILED", `The dump has no completion trailer ("${DUMP_TRAILER}"): it was cut short.`);
    job.setStepProgress(input.stepKey, 0.9, `${mb(size)} received, verifying the stored file`);
    const [liveCounts] = await Promise.all([live, checkStoredFile(fileName, t.stack.backupEncryption, sha256)]);
    const counts = reconcileCounts(liveCounts, counter.counts());
    for (const c of counts.changed)
      job.log(
        `${c.table} changed while the backup ran: ${c.before} rows counted beside it, ${c.dumped} in the dump's snapshot (a drill expects ${c.dumped})`,
      );
    return {
      sizeBytes: size,
      sha256,
      rowCounts: counts.rowCounts,
      tableChecksums: counter.digests(),
      describe: (ms) => `Backup ${id} verified: ${mb(size)} compressed, ${mb(uncompressedBytes)} of SQL, sha256 ${sha256}, ${ms} ms`,
    };
  });
}

async function streamDumpToFile(
  job: JobContext,
  t: DbTarget,
  fileName: string,
  isMariaDb: boolean,
  stepKey: string,
  counter: DumpRowCounter,
) {
  // The received bytes are gunzipped and scanned while the dump runs.
  const meter = createBackupMeter(job, stepKey, (c) => counter.push(c));
  const file = await createBackupWriteStream(fileName, { encrypted: t.stack.backupEncryption });
  const out = new PassThrough();
  const writing = pipeline(out, meter.stream, file);
  const exec = t.docker.exec(t.container, {
    cmd: buildDumpArgv(t.database, isMariaDb),
    env: [`MYSQL_PWD=${t.rootPassword}`],
    stdout: out,
    signal: job.signal,
    action: `dump ${t.database}`,
  });
  let connectionLost = false;
  const stopWatching = getSshPool().onConnectionClosed((hostId) => {
    if (hostId === t.target.hostId) connectionLost = true;
  });
  let dumpStderr = "";
  const [run, write] = await Promise.allSettled([
    exec.then(
      (r) => {
        dumpStderr = r.stderr;
        return r;
      },
      (err: unknown) => {
        dumpStderr = (err as { stderrTail?: string }).stderrTail ?? "";
        out.destroy(err as Error);
        throw describeStreamFailure(err, t);
      },
    ),
    writing,
  ]).finally(stopWatching);
  if (run.status === "rejected" || write.status === "rejected" || reportedExit(dumpStderr, "pxf-dump-exit") === null)
    await stopLeftoverDump(job, t, dumpStderr);
  // A full backup disk is the cause even when the broken stream reports first.
  if (write.status === "rejected" && isDiskFullError(write.reason)) throw describeStoreWriteError(write.reason);
  if (run.status === "rejected") throw run.reason;
  if (write.status === "rejected") throw describeStoreWriteError(write.reason);
  const result = run.value;
  const dumpExit = reportedExit(result.stderr, "pxf-dump-exit");
  const stderr = cleanStderr(result.stderr);
  if (dumpExit !== 0 || result.exitCode !== 0) {
    const lost = connectionLost
      ? describeLostConnection(t.target, `dumping ${t.database}`)
      : "the dump did not finish (the container or the connection went away)";
    const why = dumpExit === null ? lost : `the dump exited with ${dumpExit}`;
    throw new AppError(
      "REMOTE_FAILED",
      `Backup failed on ${t.target.name}: ${why}${result.exitCode ? `, gzip/exec status ${result.exitCode}` : ""}.${stderr ? ` Output: ${stderr}` : ""}`,
      { host: t.target.name, action: "dump database" },
    );
  }
  if (stderr) job.log(stderr, "stderr");
  const inspected = await meter.inspected().catch((err: unknown) => {
    throw new AppError("REMOTE_FAILED", `The dump from ${t.target.name} is not a complete gzip stream (${(err as Error).message}).`, {
      host: t.target.name,
      action: "verify dump",
      cause: err,
    });
  });
  return { ...meter.result(), inspected };
}

function describeStreamFailure(err: unknown, t: DbTarget): AppError {
  const tail = (err as { stderrTail?: string }).stderrTail;
  const base = err instanceof Error ? err.message : String(err);
  return new AppError(
    "REMOTE_FAILED",
    `Backup stream from ${t.target.name} broke: ${base}${tail ? `. Output: ${cleanStderr(tail)}` : ""}`,
    { host: t.target.name, action: "dump database", cause: err },
  );
}
