import { runContainerSql } from "@/server/adapters/mysql/container-sql";
import type { AuditFixId } from "@/server/domain/security-audit";
import { AppError } from "@/server/errors";
import { waitForJob } from "@/server/jobs";
import { startLockedJob } from "@/server/jobs/stack-lock";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { takeMysqlBackup } from "@/server/services/backups/backup-dump";
import { resolveDbTarget, type DbTarget } from "@/server/services/database/db-target";
import { getStackRow } from "@/server/services/inventory/stacks";
import { SEEDED_EMAILS } from "./checks/db-checks";
import type { FixOutcome, FixPreview } from "./views";

const EMAILS_SQL = SEEDED_EMAILS.map((e) => `'${e}'`).join(", ");
const FIX_TIMEOUT_MS = 10 * 60_000;

async function seededTarget(stackRef: string, host: string): Promise<DbTarget> {
  const stack = await getStackRow(stackRef);
  const t = await resolveDbTarget(stack);
  if (t.target.name !== host)
    throw new AppError("BAD_REQUEST", `host: ${host} is not the db host of ${stack.name} (that is ${t.target.name})`, {
      data: { field: "host" },
    });
  return t;
}

// Security: the database name comes from resolveDbTarget (checked against [A-Za-z0-9_]); the emails are constants.
async function sql(t: DbTarget, statement: string): Promise<string[][]> {
  const info = await t.docker.inspectContainer(t.container, { action: "inspect the db container" });
  const isMariaDb = /mariadb/i.test(info.Config.Image);
  return runContainerSql({
    docker: t.docker,
    container: t.container,
    rootPassword: t.rootPassword,
    isMariaDb,
    sql: statement,
    action: "remove the seeded accounts",
  });
}

const findSeeded = async (t: DbTarget) =>
  (await sql(t, `SELECT id, email FROM \`${t.database}\`.users WHERE email IN (${EMAILS_SQL})`)).map((r) => `${r[1]} (id ${r[0]})`);

/** What the fix will change, read from the host now; nothing is changed. */
export async function previewAuditFix(input: { stack: string; host: string; fix: AuditFixId }): Promise<FixPreview> {
  const t = await seededTarget(input.stack, input.host);
  const found = await findSeeded(t);
  const willChange = found.length
    ? [
        `take a backup of database ${t.database} on ${t.target.name} first (kept like every backup)`,
        ...found.map((f) => `delete user ${f} from ${t.database}.users`),
      ]
    : [`nothing: ${t.database}.users holds none of ${SEEDED_EMAILS.join(", ")}`];
  return { host: t.target.name, fix: input.fix, willChange };
}

/**
 * Removes the first migration's seeded accounts (admins; the host name typed as confirmation). Holds the
 * stack lock, takes a backup first, deletes, and says what it deleted. Audited.
 */
export async function applyAuditFix(
  input: { stack: string; host: string; fix: AuditFixId; confirm: string },
  actor: Actor,
): Promise<FixOutcome> {
  if (input.confirm !== input.host)
    throw new AppError("BAD_REQUEST", `confirm: type the host name (${input.host}) to confirm`, { data: { field: "confirm" } });
  const t = await seededTarget(input.stack, input.host);
  const { jobId } = await startLockedJob(
    {
      kind: "security-fix",
      title: `Remove the seeded accounts from ${t.database}`,
      stackId: t.stack.id,
      actor,
      purpose: "remove the seeded accounts",
      steps: [
        { key: "backup", label: "Safety backup", weight: 3 },
        { key: "delete", label: "Delete the seeded accounts" },
      ],
    },
    async (job) => {
      const backupId = await job.step("backup", () =>
        takeMysqlBackup(job, t, { reason: "before removing the seeded accounts", actorLabel: actor.label, stepKey: "backup" }),
      );
      const changed = await job.step("delete", async () => {
        const found = await findSeeded(t);
        if (found.length) await sql(t, `DELETE FROM \`${t.database}\`.users WHERE email IN (${EMAILS_SQL})`);
        const left = await findSeeded(t);
        if (left.length) throw new AppError("REMOTE_FAILED", `Still present after the delete: ${left.join(", ")}`, { host: t.target.name });
        for (const f of found) job.log(`deleted user ${f}`);
        return found.map((f) => `deleted user ${f} from ${t.database}.users`);
      });
      return { changed, backupId };
    },
  );
  const job = await waitForJob(jobId, { timeoutMs: FIX_TIMEOUT_MS });
  if (job.status !== "succeeded")
    throw new AppError(
      "REMOTE_FAILED",
      `Removing the seeded accounts on ${t.target.name} ${job.status}: ${job.error ?? "see the job log"} (job ${jobId}).`,
      {
        host: t.target.name,
      },
    );
  const result = job.result as { changed: string[]; backupId: string };
  await recordAuditEvent(actor, {
    action: "security.fix",
    target: t.stack.name,
    details: { fix: input.fix, host: t.target.name, changed: result.changed, backupId: result.backupId, jobId },
  });
  return {
    host: t.target.name,
    fix: input.fix,
    changed: result.changed.length ? result.changed : ["nothing: no seeded account was left"],
    backupId: result.backupId,
    jobId,
  };
}
