import { describe, expect, it } from "vitest";
import { DumpRowCounter, reconcileCounts, withTables } from "./dump-row-counter";

const DUMP = [
  "-- MariaDB dump 10.19",
  "/*!40101 SET NAMES utf8mb4 */;",
  "INSERT INTO `users` VALUES (1,'ann','a(b)c'),(2,'bob','it\\'s ), (x'),(3,NULL,'back\\\\');",
  "INSERT INTO `users` VALUES (4,'dan','');",
  "INSERT INTO `odd``name` VALUES (1,0x28),(2,'\\n(');",
  "INSERT INTO `images` (`id`, `path`) VALUES (10,'a.png');",
  "INSERT INTO `schema_migrations` VALUES",
  "(3,0);",
  "INSERT INTO `quick` VALUES",
  "(1,'one;\n(two)'),",
  "(2,'x');",
  "-- INSERT INTO `ghost` VALUES (1);",
  "CREATE TABLE `empty` (id int);",
  "-- Dump completed on 2026-11-28",
  "",
].join("\n");

function countIn(chunks: Buffer[]) {
  const c = new DumpRowCounter();
  for (const chunk of chunks) c.push(chunk);
  return c.counts();
}

describe("DumpRowCounter", () => {
  const expected = { images: 1, "odd`name": 2, quick: 2, schema_migrations: 1, users: 4 };

  it("counts rows per table, ignoring parentheses and quotes inside strings and comment lines", () => {
    expect(countIn([Buffer.from(DUMP)])).toEqual(expected);
  });

  it("gives the same counts whatever the chunk boundaries (every split point, and byte by byte)", () => {
    const all = Buffer.from(DUMP);
    for (let cut = 0; cut <= all.length; cut++) expect(countIn([all.subarray(0, cut), all.subarray(cut)])).toEqual(expected);
    expect(countIn([...all].map((b) => Buffer.from([b])))).toEqual(expected);
  });

  it("lists empty tables with 0 when told which tables exist", () => {
    expect(withTables(countIn([Buffer.from(DUMP)]), ["empty", "users"])).toEqual({ empty: 0, images: 1, "odd`name": 2, quick: 2, schema_migrations: 1, users: 4 });
  });

  it("takes the dump's counts, and drops the checksum of a table written to while the backup started", () => {
    const r = reconcileCounts({ images: 1, users: 3, empty: 0 }, { images: 1, users: 4 }, { images: "11", users: "22", empty: "0" });
    expect(r.rowCounts).toEqual({ empty: 0, images: 1, users: 4 });
    expect(r.checksums).toEqual({ images: "11", empty: "0" });
    expect(r.changed).toEqual([{ table: "users", before: 3, dumped: 4 }]);
  });
});
