import { AppError } from "@/server/errors";
import type { MigrationFile } from "./migration-files";

/** The database's migration state: `version` null when no migration was ever applied (golang-migrate's NilVersion). */
export interface MigrationState {
  version: number | null;
  dirty: boolean;
}

export type MigrateCommand = { kind: "up" } | { kind: "down" } | { kind: "goto"; version: number } | { kind: "force"; version: number };

/** One file to apply: the database is set to `targetVersion` (dirty) before, and clean after. */
export interface MigrationStep {
  version: number;
  direction: "up" | "down";
  file: string;
  sql: string;
  targetVersion: number | null;
}

/** Describes a command for titles and logs, e.g. "goto 2". */
export function describeCommand(cmd: MigrateCommand): string {
  return cmd.kind === "goto" || cmd.kind === "force" ? `${cmd.kind} ${cmd.version}` : cmd.kind === "down" ? "down 1" : "up";
}

function dirtyError(state: MigrationState): AppError {
  return new AppError(
    "PRECONDITION_FAILED",
    `The database is dirty at version ${state.version ?? "none"}: a migration failed half-way. Fix the schema by hand, then force the version it is really at.`,
    { data: { version: state.version, dirty: true } },
  );
}

function upStep(m: MigrationFile): MigrationStep {
  if (m.up === null || !m.upFile) throw new AppError("PRECONDITION_FAILED", `Migration ${m.version} has no .up.sql file in this image.`);
  return { version: m.version, direction: "up", file: m.upFile, sql: m.up, targetVersion: m.version };
}

function downStep(files: MigrationFile[], index: number): MigrationStep {
  const m = files[index] as MigrationFile;
  if (m.down === null || !m.downFile)
    throw new AppError("PRECONDITION_FAILED", `Migration ${m.version} has no .down.sql file in this image: it cannot be stepped down.`);
  return {
    version: m.version,
    direction: "down",
    file: m.downFile,
    sql: m.down,
    targetVersion: index > 0 ? (files[index - 1] as MigrationFile).version : null,
  };
}

function indexOfCurrent(files: MigrationFile[], state: MigrationState): number {
  if (state.version === null) return -1;
  const i = files.findIndex((f) => f.version === state.version);
  if (i === -1) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `The database is at version ${state.version}, which the chosen image does not ship. Pick the image that has it (usually the newest tag).`,
      { data: { version: state.version } },
    );
  }
  return i;
}

/**
 * Plans the files a command applies, with golang-migrate v4's rules: one version at a time, refused
 * while dirty (except `force`), `down` steps back one, `goto` needs a version the source has.
 */
export function planMigration(files: MigrationFile[], state: MigrationState, cmd: MigrateCommand): MigrationStep[] {
  if (cmd.kind === "force") return [];
  if (state.dirty) throw dirtyError(state);
  const current = indexOfCurrent(files, state);
  if (cmd.kind === "up") return files.slice(current + 1).map(upStep);
  if (cmd.kind === "down") {
    if (current === -1) throw new AppError("PRECONDITION_FAILED", "No migration is applied: there is nothing to step down.");
    return [downStep(files, current)];
  }
  const target = files.findIndex((f) => f.version === cmd.version);
  if (target === -1)
    throw new AppError(
      "BAD_REQUEST",
      `Version ${cmd.version} is not among the image's migrations (${files.map((f) => f.version).join(", ") || "none"}).`,
      { data: { field: "version" } },
    );
  if (target > current) return files.slice(current + 1, target + 1).map(upStep);
  const steps: MigrationStep[] = [];
  for (let i = current; i > target; i--) steps.push(downStep(files, i));
  return steps;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "utf8")) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The name golang-migrate's MySQL driver passes to GET_LOCK for a database (crc32 of
 * "<db>:schema_migrations" times its salt, as uint32), so its CLI and this runner exclude each other.
 */
export function advisoryLockName(database: string, table = "schema_migrations"): string {
  return String(Math.imul(crc32(`${database}:${table}`), 1486364155) >>> 0);
}
