import type { JobContext } from "@/server/jobs/types";
import type { DbTarget } from "@/server/services/database/db-target";
import { buildStopDumpArgv, reportedExit } from "./dump-commands";

/**
 * After a dump's stream broke (connection lost, full disk, cancel), kills what is left of it in the
 * db container: Docker keeps an exec running when its client goes away, so the dump would otherwise
 * read the whole database (holding its snapshot open) into nowhere. Best effort: a failure is logged.
 */
export async function stopLeftoverDump(job: JobContext, t: DbTarget, dumpStderr: string): Promise<void> {
  const pid = reportedExit(dumpStderr, "pxf-dump-group");
  if (pid === null || pid <= 1) return;
  try {
    const res = await t.docker.exec(t.container, { cmd: buildStopDumpArgv(pid), action: "stop the dump" });
    if (res.exitCode === 0) job.log(`Stopped the dump left running in ${t.container} on ${t.target.name} (process group ${pid})`, "warn");
  } catch (err) {
    job.log(
      `Could not stop the dump left running in ${t.container} on ${t.target.name} (${err instanceof Error ? err.message : String(err)}); it ends by itself once it has read the whole database.`,
      "warn",
    );
  }
}
