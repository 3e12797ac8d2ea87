import type { Stack } from "@prisma/client";
import { createMigrationDb, readMigrationVersion } from "@/server/adapters/mysql/migration-db";
import { mapMysqlError, withMysql } from "@/server/adapters/mysql/mysql-connection";
import { AppError } from "@/server/errors";
import { startLockedJob } from "@/server/jobs/stack-lock";
import type { JobContext } from "@/server/jobs/types";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import { findDbService, resolveDbTarget } from "@/server/services/database/db-target";
import { readImageMigrations } from "./image-migrations";
import type { MigrationFile } from "./migration-files";
import { describeCommand, type MigrateCommand, type MigrationState } from "./migrate-plan";
import { runMigrateCommand, type MigrateOutcome } from "./migrate-runner";

export interface MigrationStatusView extends MigrationState {
  database: string;
  dbHost: string;
  tag: string | null;
  image: string | null;
  /** Why the image's files could not be read (the database state is still shown). */
  imageError: string | null;
  migrations: { version: number; name: string; upFile: string | null; downFile: string | null; state: "applied" | "pending" | "dirty" }[];
}

/** Reads the database's (version, dirty) through an SSH tunnel. */
export async function readDatabaseState(stack: Stack): Promise<MigrationState & { database: string; dbHost: string }> {
  const t = await resolveDbTarget(stack);
  const state = await withMysql(t.target, t.app, (conn) =>
    readMigrationVersion(conn).catch((err) => {
      throw mapMysqlError(err, t.target, "read schema_migrations");
    }),
  );
  return { ...state, database: t.database, dbHost: t.target.name };
}

/** Migration status: the database's version and the image's files marked applied, pending or dirty. */
export async function getMigrationStatus(stackRef: string, tag?: string): Promise<MigrationStatusView> {
  const stack = await getStackRow(stackRef);
  const state = await readDatabaseState(stack);
  let files: MigrationFile[] = [];
  let image: { tag: string; image: string } | null = null;
  let imageError: string | null = null;
  try {
    const read = await readImageMigrations(stack, tag);
    files = read.files;
    image = { tag: read.tag, image: read.image };
  } catch (err) {
    imageError = err instanceof Error ? err.message : String(err);
  }
  const migrations = files.map((f) => ({
    version: f.version,
    name: f.name,
    upFile: f.upFile,
    downFile: f.downFile,
    state:
      state.version !== null && f.version === state.version && state.dirty
        ? ("dirty" as const)
        : state.version !== null && f.version <= state.version
          ? ("applied" as const)
          : ("pending" as const),
  }));
  return { ...state, tag: image?.tag ?? tag ?? null, image: image?.image ?? null, imageError, migrations };
}

/**
 * Refuses a deploy while the stack's database is dirty (a failed migration half-applied).
 * Stacks without a db service pass. Call it before taking the deploy lock.
 */
export async function assertDatabaseClean(stack: Stack): Promise<void> {
  if (!(await findDbService(stack.id))) return;
  const state = await readDatabaseState(stack);
  if (state.dirty) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Database ${state.database} on ${state.dbHost} is dirty at version ${state.version ?? "none"}: a migration failed half-way. Deploys are refused until an admin fixes the schema and forces the version on the Database page.`,
      { data: { version: state.version, dirty: true } },
    );
  }
}

/** Where a migrate job takes its files from: an image tag of the stack, or given files (tests, tooling). */
export type MigrationSource = { tag?: string } | { files: MigrationFile[]; label: string };

/**
 * Runs a migrate command inside a job (the caller's job: deploy steps may use it to run pending
 * migrations before or after the new container starts).
 */
export async function runMigrationsInJob(
  job: JobContext,
  stack: Stack,
  cmd: MigrateCommand,
  source: MigrationSource,
): Promise<MigrateOutcome> {
  const t = await resolveDbTarget(stack);
  job.addSecret(t.app.password);
  job.addSecret(t.rootPassword);
  let files: MigrationFile[] = [];
  if ("files" in source) {
    files = source.files;
    job.log(`Migrations from ${source.label}: ${files.map((f) => f.version).join(", ") || "none"}`);
  } else if (cmd.kind !== "force") {
    const read = await readImageMigrations(stack, source.tag);
    files = read.files;
    job.log(`Migrations in ${read.image}: ${files.map((f) => f.version).join(", ") || "none"}`);
  }
  return withMysql(t.target, t.app, (conn) =>
    runMigrateCommand(createMigrationDb(conn, t.database), files, cmd, {
      log: (line, level) => job.log(line, level),
      signal: job.signal,
      onStep: (i, total, file) => job.setStepProgress("migrate", i / Math.max(total, 1), `${i + 1}/${total}: ${file}`),
    }),
  );
}

/**
 * Starts a migrate job holding the stack lock, so a deploy and a migration never overlap.
 * Roles are checked by the caller (up: DEPLOYER; down/goto/force: ADMIN). Audited.
 */
export async function startMigration(
  input: { stack: string; command: MigrateCommand; source?: MigrationSource },
  actor: Actor,
): Promise<{ jobId: string }> {
  const stack = await getStackRow(input.stack);
  const what = describeCommand(input.command);
  const source = input.source ?? {};
  const { jobId } = await startLockedJob(
    {
      kind: "migrate",
      title: `Migrate ${stack.name}: ${what}`,
      stackId: stack.id,
      actor,
      purpose: "migration",
      steps: [{ key: "migrate", label: `migrate ${what}` }],
    },
    async (job) => {
      const outcome = await job
        .step("migrate", () => runMigrationsInJob(job, stack, input.command, source))
        .catch(async (err: unknown) => {
          await recordAuditEvent(actor, {
            action: "migrate.failed",
            target: stack.name,
            ok: false,
            details: { command: what, jobId: job.jobId, error: err instanceof Error ? err.message : String(err) },
          });
          throw err;
        });
      await recordAuditEvent(actor, {
        action: "migrate.succeeded",
        target: stack.name,
        details: { command: what, jobId: job.jobId, before: outcome.before, after: outcome.after },
      });
      return outcome;
    },
  );
  await recordAuditEvent(actor, { action: "migrate.start", target: stack.name, details: { command: what, jobId } });
  return { jobId };
}
