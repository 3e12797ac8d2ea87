import { AppError } from "@/server/errors";
import { splitSqlStatements, type MigrationFile } from "./migration-files";
import { advisoryLockName, describeCommand, planMigration, type MigrateCommand, type MigrationState } from "./migrate-plan";

/** What the runner needs from a database connection (the MySQL adapter implements it; tests fake it). */
export interface MigrationDb {
  /** The database name: part of the advisory lock's name. */
  readonly database: string;
  /** GET_LOCK(name, timeoutS): true when taken. */
  getLock(name: string, timeoutS: number): Promise<boolean>;
  releaseLock(name: string): Promise<void>;
  ensureVersionTable(): Promise<void>;
  /** False when a migration dropped schema_migrations itself (the real repository's first down file does). */
  hasVersionTable(): Promise<boolean>;
  readVersion(): Promise<MigrationState>;
  /** golang-migrate's SetVersion: clear the table, then insert (version, dirty) unless it is nil and clean. */
  setVersion(version: number | null, dirty: boolean): Promise<void>;
  execute(sql: string): Promise<void>;
}

export interface MigrateRunOptions {
  log: (line: string, level?: "info" | "warn" | "error") => void;
  /** Called before each file, so the job can show "2/3". */
  onStep?: (index: number, total: number, file: string) => void;
  signal?: AbortSignal;
}

export interface MigrateOutcome {
  before: MigrationState;
  after: MigrationState;
  applied: string[];
}

const LOCK_TIMEOUT_S = 10;

/**
 * Runs a migrate command with golang-migrate v4's rules: the advisory lock its CLI uses, one version
 * at a time, the version set dirty before a file and clean after. A failing statement leaves the
 * version dirty and the error names the file, the statement's number and its start.
 */
export async function runMigrateCommand(
  dbc: MigrationDb,
  files: MigrationFile[],
  cmd: MigrateCommand,
  opts: MigrateRunOptions,
): Promise<MigrateOutcome> {
  const lock = advisoryLockName(dbc.database);
  if (!(await dbc.getLock(lock, LOCK_TIMEOUT_S))) {
    throw new AppError(
      "CONFLICT",
      `Another migration holds the lock on ${dbc.database} (GET_LOCK ${lock}); wait for it to finish and try again.`,
    );
  }
  try {
    await dbc.ensureVersionTable();
    const before = await dbc.readVersion();
    opts.log(
      `Database ${dbc.database} is at version ${before.version ?? "none"}${before.dirty ? " (dirty)" : ""}; running ${describeCommand(cmd)}`,
    );
    if (cmd.kind === "force") {
      await dbc.setVersion(cmd.version < 0 ? null : cmd.version, false);
      opts.log(`Forced version ${cmd.version < 0 ? "none" : cmd.version} (clean); no SQL was run`, "warn");
      return { before, after: await dbc.readVersion(), applied: [] };
    }
    const steps = planMigration(files, before, cmd);
    if (steps.length === 0) opts.log("No change: the database is already there");
    const applied: string[] = [];
    for (const [index, step] of steps.entries()) {
      if (opts.signal?.aborted)
        throw new AppError("CONFLICT", "Cancelled between two migrations; the database is clean at the last applied version.");
      opts.onStep?.(index, steps.length, step.file);
      await dbc.setVersion(step.targetVersion, true);
      const statements = splitSqlStatements(step.sql);
      const started = Date.now();
      for (const [n, statement] of statements.entries()) {
        try {
          await dbc.execute(statement);
        } catch (err) {
          throw migrationFailed(step.file, n, statements.length, statement, step.targetVersion, err);
        }
      }
      if (!(await dbc.hasVersionTable())) {
        // The file removed the version table with everything else: say so, and leave a clean "none".
        await dbc.ensureVersionTable();
        opts.log(
          `${step.file} dropped schema_migrations itself along with its tables (as the repository's first down migration does): the database now has none of the migrated tables and no version. To set it up again: start the app once (it creates its tables), then run migrate up.`,
          "warn",
        );
      }
      await dbc.setVersion(step.targetVersion, false);
      applied.push(step.file);
      opts.log(`Applied ${step.file} (${statements.length} statement${statements.length === 1 ? "" : "s"}, ${Date.now() - started} ms)`);
    }
    return { before, after: await dbc.readVersion(), applied };
  } finally {
    await dbc.releaseLock(lock).catch(() => undefined);
  }
}

function migrationFailed(file: string, index: number, total: number, statement: string, version: number | null, err: unknown): AppError {
  const reason = err instanceof Error ? err.message : String(err);
  const head = statement.replace(/\s+/g, " ").slice(0, 160);
  return new AppError(
    "REMOTE_FAILED",
    `Migration ${file} failed at statement ${index + 1} of ${total} (${head}): ${reason}. The database is left dirty at version ${version ?? "none"}: fix the schema by hand, then force the version it is really at.`,
    { action: "apply migration", data: { file, statement: index + 1, version, dirty: true }, cause: err },
  );
}
