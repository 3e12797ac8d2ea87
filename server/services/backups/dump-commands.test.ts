import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDumpArgv, buildRestoreArgv, reportedExit, restoreRefusal, RESTORE_SCRIPT } from "./dump-commands";
import { hasScratchMariaDb, startScratchMariaDb, type ScratchMariaDb } from "./testing/scratch-mariadb";

describe("the restore's client", () => {
  it("runs in binary mode for both flavours, and sandboxed on MariaDB", () => {
    expect(buildRestoreArgv("pixelfox", true).slice(4)).toEqual(["mariadb", "--binary-mode", "--loose-sandbox", "--user=root", "pixelfox"]);
    expect(buildRestoreArgv("pixelfox", false).slice(4)).toEqual(["mysql", "--binary-mode", "--user=root", "pixelfox"]);
  });

  it("explains a refused client command, and nothing else", () => {
    expect(restoreRefusal("pxf-gunzip-exit:141\nERROR at line 2: Unknown command '\\!'.\n")).toBe(
      "The dump holds a mysql client command (\\!) at line 2, which restores never run (mysqldump and mariadb-dump do not write one): the file was made by something else or changed since. The restore stopped there.",
    );
    expect(restoreRefusal("ERROR at line 9: Not allowed in the sandbox mode")).toMatch(/^The dump holds a mysql client command at line 9/);
    expect(restoreRefusal("ERROR 1064 (42000) at line 2: You have an error in your SQL syntax")).toBeNull();
  });
});

describe.skipIf(!hasScratchMariaDb())("restores through that argv, on a scratch MariaDB server", () => {
  let db: ScratchMariaDb;
  let marker = "";
  beforeAll(async () => {
    db = await startScratchMariaDb();
    marker = path.join(db.dir, "pxf-pwned");
    db.sql("CREATE DATABASE target");
  }, 30_000);
  afterAll(() => db?.stop());

  /** Runs one of the panel's argvs (sh -c SCRIPT name PROGRAM …) with the scratch server's options after PROGRAM. */
  const run = (argv: string[], input: Buffer) => {
    const r = spawnSync(argv[0]!, [...argv.slice(1, 5), ...db.clientOptions, ...argv.slice(5)], {
      input,
      env: { PATH: "/usr/bin:/bin:/usr/sbin", EDITOR: `touch ${marker}`, PAGER: `touch ${marker}` } as unknown as NodeJS.ProcessEnv,
      timeout: 20_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
  };
  const crafted = (line: string) => gzipSync(`CREATE TABLE IF NOT EXISTS a (x INT);\n${line}\nINSERT INTO a VALUES (1);\n`);

  const VECTORS = () => {
    const inc = path.join(db.dir, "inc.sql");
    fs.writeFileSync(inc, `\\! touch ${marker}\n`);
    return [
      `\\! touch ${marker}`,
      `system touch ${marker}`,
      `SELECT 1; \\! touch ${marker}`,
      `/*!40101 \\! touch ${marker} */;`,
      `\\. ${inc}`,
      `source ${inc}`,
      `\\T ${marker}`,
      `tee ${marker}`,
      `\\P touch ${marker}`,
      `\\e`,
      `edit`,
    ];
  };

  it("a crafted dump's client commands ran before the fix (the test's own control)", () => {
    const plain = ["sh", "-c", RESTORE_SCRIPT, "pxf-restore", "mariadb", "--user=root", "target"];
    expect(run(plain, crafted(`\\! touch ${marker}`)).status).toBe(0);
    expect(fs.existsSync(marker)).toBe(true);
    fs.rmSync(marker);
    db.sql("DROP TABLE target.a");
  });

  it("a crafted dump's client commands (\\!, system, source, tee, pager, edit) run nothing and stop the restore", () => {
    for (const line of VECTORS()) {
      const r = run(buildRestoreArgv("target", true), crafted(line));
      expect(fs.existsSync(marker), line).toBe(false);
      expect(r.status, line).not.toBe(0);
      if (line.startsWith("\\") || line.includes("; \\") || line.startsWith("/*!"))
        expect(restoreRefusal(r.stderr), `${line}: ${r.stderr}`).toMatch(/^The dump holds a mysql client command \(\\.\) at line 2/);
      else expect(r.stderr, line).toMatch(/ERROR 1064 .* at line 2/); // the long form goes to the server as SQL, which rejects it
    }
    expect(db.sql("SELECT COUNT(*) FROM target.a").trim()).toBe("0"); // stopped before the line after
  });

  it("a dump from mariadb-dump (routines, triggers, events, binary and quoted data) restores in full", () => {
    db.sql(
      [
        "CREATE DATABASE src CHARACTER SET utf8mb4",
        "USE src",
        "CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, s TEXT, b BLOB)",
        "INSERT INTO t (s, b) VALUES ('\\\\! touch x', UNHEX('00FF0D0A5C21')), ('it''s \"q\" \\\\\\\\ \\n\\r\\n end', NULL), ('€ 日本', 0x00), ('system touch x', NULL)",
        "CREATE TABLE log (n INT)",
        "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW INSERT INTO log VALUES (NEW.id)",
        "CREATE PROCEDURE p() SELECT COUNT(*) FROM t",
        "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM log",
        "CREATE VIEW v AS SELECT id FROM t",
        "CREATE DATABASE dst",
      ].join(";\n"),
    );
    const dump = run(buildDumpArgv("src", true), Buffer.alloc(0));
    expect(reportedExit(dump.stderr, "pxf-dump-exit")).toBe(0);
    expect(gunzipSync(dump.stdout).toString()).toMatch(/^\/\*M!999999\\- enable the sandbox mode \*\//); // MariaDB's own \- line passes binary mode
    const restored = run(buildRestoreArgv("dst", true), dump.stdout);
    expect(restored.stderr).not.toMatch(/ERROR/);
    expect(restored.status).toBe(0);
    const rows = (schema: string) => db.sql(`SELECT id, HEX(s), HEX(b) FROM ${schema}.t ORDER BY id`);
    expect(rows("src").trim().split("\n")).toHaveLength(4);
    expect(rows("dst")).toBe(rows("src"));
    const objects = (schema: string) =>
      db.sql(
        `SELECT (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='${schema}'), (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='${schema}'), (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA='${schema}'), (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA='${schema}')`,
      );
    expect(objects("dst")).toBe("1\t1\t1\t1\n");
  });
});
