import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { AppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import type { DbTarget } from "@/server/services/database/db-target";
import { buildDumpArgv, cleanStderr, reportedExit } from "@/server/services/backups/dump-commands";
import { dumpRowCounterSink } from "@/server/services/backups/dump-row-counter";

/**
 * Dumps the drill's scratch database with the backup's own dump command and digests its rows the
 * way the backup's were digested when it was taken: equal digests mean the restore gave back exactly
 * the rows the dump captured. Streamed through the panel (gunzip, scan), memory flat.
 */
export async function digestDatabase(job: JobContext, t: DbTarget, database: string, isMariaDb: boolean): Promise<Record<string, string>> {
  const out = new PassThrough();
  const sink = dumpRowCounterSink();
  const scanning = pipeline(out, createGunzip(), sink);
  const [run, scan] = await Promise.allSettled([
    t.docker
      .exec(t.container, {
        cmd: buildDumpArgv(database, isMariaDb),
        env: [`MYSQL_PWD=${t.rootPassword}`],
        stdout: out,
        signal: job.signal,
        action: `dump ${database} to digest it`,
      })
      .catch((err: unknown) => {
        out.destroy(err as Error);
        throw err;
      }),
    scanning,
  ]);
  if (run.status === "rejected") throw run.reason;
  const dumpExit = reportedExit(run.value.stderr, "pxf-dump-exit");
  if (scan.status === "rejected" || dumpExit !== 0 || run.value.exitCode !== 0) {
    const why =
      scan.status === "rejected"
        ? `its output could not be read (${(scan.reason as Error).message})`
        : `the dump exited with ${dumpExit ?? "no status"}`;
    const output = cleanStderr(run.value.stderr);
    throw new AppError("REMOTE_FAILED", `Could not digest ${database} on ${t.target.name}: ${why}.${output ? ` Output: ${output}` : ""}`, {
      host: t.target.name,
      action: "drill digest",
    });
  }
  return sink.counter.digests();
}
