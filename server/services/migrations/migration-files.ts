/** A migration version as golang-migrate names its files: `NNNNNN_name.up.sql` / `.down.sql`. */
export interface MigrationFile {
  version: number;
  name: string;
  upFile: string | null;
  downFile: string | null;
  up: string | null;
  down: string | null;
}

const FILE_NAME = /^(\d+)_([^/]+)\.(up|down)\.sql$/;

/** Parses a golang-migrate file name, or null when the file is not a migration. */
export function parseMigrationFileName(fileName: string): { version: number; name: string; direction: "up" | "down" } | null {
  const m = FILE_NAME.exec(fileName);
  if (!m) return null;
  const version = Number(m[1]);
  if (!Number.isSafeInteger(version)) return null;
  return { version, name: m[2] ?? "", direction: m[3] as "up" | "down" };
}

/** Groups `.up.sql` / `.down.sql` files by version, sorted ascending (golang-migrate's source order). */
export function buildMigrationSet(files: { name: string; sql: string }[]): MigrationFile[] {
  const byVersion = new Map<number, MigrationFile>();
  for (const f of files) {
    const base = f.name.split("/").pop() ?? f.name;
    const parsed = parseMigrationFileName(base);
    if (!parsed) continue;
    const entry = byVersion.get(parsed.version) ?? {
      version: parsed.version,
      name: parsed.name,
      upFile: null,
      downFile: null,
      up: null,
      down: null,
    };
    if (parsed.direction === "up") {
      entry.upFile = base;
      entry.up = f.sql;
    } else {
      entry.downFile = base;
      entry.down = f.sql;
    }
    byVersion.set(parsed.version, entry);
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

const COMPOUND = /\bCREATE\s+(?:DEFINER\s*=\s*\S+\s+)?(?:PROCEDURE|FUNCTION|TRIGGER|EVENT)\b/i;

/**
 * Splits a migration file into statements so a failure can name the statement. Quotes, backticks
 * and comments are respected. A file that defines procedures, functions, triggers or events (bodies
 * with their own `;`) is kept whole and sent as one multi-statement batch, as golang-migrate does.
 */
export function splitSqlStatements(sql: string): string[] {
  if (COMPOUND.test(sql)) return sql.trim() ? [sql.trim()] : [];
  const out: string[] = [];
  let current = "";
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === "-" && next === "-" && /\s|$/.test(sql[i + 2] ?? "")) {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end + 1;
      current += "\n";
      continue;
    }
    if (ch === "#") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end + 1;
      current += "\n";
      continue;
    }
    if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      // MySQL's executable comments (/*! … */) are kept.
      if (sql[i + 2] === "!") current += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === "\\" && ch !== "`") j += 2;
        else if (sql[j] === ch && sql[j + 1] === ch) j += 2;
        else if (sql[j] === ch) break;
        else j += 1;
      }
      current += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === ";") {
      if (current.trim()) out.push(current.trim());
      current = "";
      i += 1;
      continue;
    }
    current += ch;
    i += 1;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
