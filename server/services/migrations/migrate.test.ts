import { describe, expect, it } from "vitest";
import { buildMigrationSet, splitSqlStatements } from "./migration-files";
import { advisoryLockName, planMigration } from "./migrate-plan";
import { runMigrateCommand, type MigrationDb } from "./migrate-runner";
import { readTarFiles } from "./tar-reader";

const files = buildMigrationSet([
  { name: "migrations/000001_init.up.sql", sql: "CREATE TABLE a (id INT); INSERT INTO a VALUES (1);" },
  { name: "migrations/000001_init.down.sql", sql: "DROP TABLE a;" },
  { name: "migrations/000002_b.up.sql", sql: "CREATE TABLE b (id INT);" },
  { name: "migrations/000002_b.down.sql", sql: "DROP TABLE b;" },
  { name: "migrations/000003_c.up.sql", sql: "CREATE TABLE c (id INT);\nBROKEN SQL;" },
  { name: "migrations/README.md", sql: "" },
]);

class FakeDb implements MigrationDb {
  database = "pixelfox_db";
  state = { version: null as number | null, dirty: false };
  executed: string[] = [];
  versions: string[] = [];
  locked = false;
  async getLock() {
    return !this.locked && (this.locked = true);
  }
  async releaseLock() {
    this.locked = false;
  }
  hasTable = true;
  async ensureVersionTable() {
    this.hasTable = true;
  }
  async hasVersionTable() {
    return this.hasTable;
  }
  async readVersion() {
    return { ...this.state };
  }
  async setVersion(version: number | null, dirty: boolean) {
    if (!this.hasTable) throw new Error("Table 'pixelfox_db.schema_migrations' doesn't exist");
    this.state = { version, dirty };
    this.versions.push(`${version}${dirty ? "d" : ""}`);
  }
  async execute(sql: string) {
    if (sql.startsWith("BROKEN")) throw new Error("You have an error in your SQL syntax");
    if (/DROP TABLE IF EXISTS schema_migrations/i.test(sql)) this.hasTable = false;
    this.executed.push(sql);
  }
}

const log = () => undefined;

describe("golang-migrate rules", () => {
  it("groups files by version and ignores others", () => {
    expect(files.map((f) => [f.version, f.upFile, f.downFile])).toEqual([
      [1, "000001_init.up.sql", "000001_init.down.sql"],
      [2, "000002_b.up.sql", "000002_b.down.sql"],
      [3, "000003_c.up.sql", null],
    ]);
  });

  it("splits statements, keeping quotes, backticks and comments straight", () => {
    expect(splitSqlStatements('-- note; here\nINSERT INTO t VALUES (\'a;b\', "c""d;");\n/* x; */ UPDATE `we;ird` SET x=1;')).toEqual([
      'INSERT INTO t VALUES (\'a;b\', "c""d;")',
      "UPDATE `we;ird` SET x=1",
    ]);
    expect(splitSqlStatements("CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END;")).toHaveLength(1);
  });

  it("plans up from none, down one step, goto in both directions; refuses while dirty", () => {
    expect(planMigration(files, { version: null, dirty: false }, { kind: "up" }).map((s) => s.file)).toEqual([
      "000001_init.up.sql",
      "000002_b.up.sql",
      "000003_c.up.sql",
    ]);
    expect(planMigration(files, { version: 2, dirty: false }, { kind: "down" }).map((s) => [s.file, s.targetVersion])).toEqual([
      ["000002_b.down.sql", 1],
    ]);
    expect(planMigration(files, { version: 1, dirty: false }, { kind: "down" })[0]?.targetVersion).toBeNull();
    expect(planMigration(files, { version: null, dirty: false }, { kind: "goto", version: 2 })).toHaveLength(2);
    expect(planMigration(files, { version: 2, dirty: false }, { kind: "goto", version: 1 }).map((s) => s.file)).toEqual([
      "000002_b.down.sql",
    ]);
    expect(() => planMigration(files, { version: 2, dirty: true }, { kind: "up" })).toThrow(/dirty at version 2/);
    expect(() => planMigration(files, { version: 9, dirty: false }, { kind: "up" })).toThrow(/does not ship/);
    expect(() => planMigration(files, { version: 1, dirty: false }, { kind: "goto", version: 7 })).toThrow(/not among/);
  });

  it("sets dirty before and clean after each version; a failing statement leaves it dirty and names file and statement", async () => {
    const dbc = new FakeDb();
    await expect(runMigrateCommand(dbc, files, { kind: "up" }, { log })).rejects.toThrow(
      /000003_c\.up\.sql failed at statement 2 of 2 \(BROKEN SQL\).*dirty at version 3/,
    );
    expect(dbc.versions).toEqual(["1d", "1", "2d", "2", "3d"]);
    expect(dbc.state).toEqual({ version: 3, dirty: true });
    expect(dbc.locked).toBe(false);
    await expect(runMigrateCommand(dbc, files, { kind: "up" }, { log })).rejects.toThrow(/dirty/);
    const forced = await runMigrateCommand(dbc, files, { kind: "force", version: 2 }, { log });
    expect(forced.after).toEqual({ version: 2, dirty: false });
  });

  it("uses golang-migrate's advisory lock name and refuses when it is held", async () => {
    // crc32("pixelfox_db:schema_migrations") * 1486364155 mod 2^32, as Go computes it.
    expect(advisoryLockName("pixelfox_db")).toBe("4065298436");
    const dbc = new FakeDb();
    dbc.locked = true;
    await expect(runMigrateCommand(dbc, files, { kind: "up" }, { log })).rejects.toThrow(/holds the lock/);
  });
});

describe("readTarFiles", () => {
  function header(name: string, size: number, type = "0"): Buffer {
    const h = Buffer.alloc(512);
    h.write(name, 0);
    h.write(size.toString(8).padStart(11, "0"), 124);
    h.write(type, 156);
    return h;
  }
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);

  it("reads regular files, PAX long paths, and skips directories", () => {
    const body = Buffer.from("CREATE TABLE x (id INT);");
    const pax = Buffer.from("30 path=migrations/000009_x.up.sql\n");
    const tar = Buffer.concat([
      header("migrations/", 0, "5"),
      header("migrations/000001_a.up.sql", body.length),
      pad(body),
      header("PaxHeader", pax.length, "x"),
      pad(pax),
      header("short", body.length),
      pad(body),
      Buffer.alloc(1024),
    ]);
    expect(readTarFiles(tar).map((f) => [f.path, f.data.toString()])).toEqual([
      ["migrations/000001_a.up.sql", body.toString()],
      ["migrations/000009_x.up.sql", body.toString()],
    ]);
  });

  it("a down file that drops schema_migrations itself ends clean at version none, saying what happened and what to do", async () => {
    const seedOnly = buildMigrationSet([
      { name: "migrations/000001_init.up.sql", sql: "INSERT INTO users VALUES (1);" },
      { name: "migrations/000001_init.down.sql", sql: "DROP TABLE IF EXISTS users;\nDROP TABLE IF EXISTS schema_migrations;" },
    ]);
    const db = new FakeDb();
    db.state = { version: 1, dirty: false };
    const lines: string[] = [];
    const out = await runMigrateCommand(db, seedOnly, { kind: "down" }, { log: (l) => lines.push(l) });
    expect(out.after).toEqual({ version: null, dirty: false });
    expect(out.applied).toEqual(["000001_init.down.sql"]);
    expect(lines.join("\n")).toMatch(
      /dropped schema_migrations itself .* no version\. To set it up again: start the app once .*then run migrate up/,
    );
  });
});
