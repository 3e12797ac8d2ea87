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

function scan(chunks: Buffer[]) {
  const c = new DumpRowCounter();
  for (const chunk of chunks) c.push(chunk);
  return c;
}
const countIn = (chunks: Buffer[]) => scan(chunks).counts();
const digestsOf = (text: string) => scan([Buffer.from(text)]).digests();

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
    expect(withTables(countIn([Buffer.from(DUMP)]), ["empty", "users"])).toEqual({
      empty: 0,
      images: 1,
      "odd`name": 2,
      quick: 2,
      schema_migrations: 1,
      users: 4,
    });
  });

  it("takes the dump's counts and names the tables written to while the backup ran", () => {
    const r = reconcileCounts({ images: 1, users: 3, empty: 0 }, { images: 1, users: 4 });
    expect(r.rowCounts).toEqual({ empty: 0, images: 1, users: 4 });
    expect(r.changed).toEqual([{ table: "users", before: 3, dumped: 4 }]);
  });
});

describe("DumpRowCounter digests", () => {
  it("digests the same rows alike however the dump split them into statements and lines", () => {
    const one = digestsOf("INSERT INTO `t` VALUES (1,'a'),(2,'b;c'),(3,NULL);\n");
    expect(one.t).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digestsOf("INSERT INTO `t` VALUES (1,'a'),(2,'b;c');\nINSERT INTO `t` VALUES (3,NULL);\n")).toEqual(one);
    expect(digestsOf("INSERT INTO `t` VALUES\n(1,'a'),\n(2,'b;c'),\n(3,NULL);\n")).toEqual(one);
  });

  it("changes when a value, the row order or a row changes, and keeps tables apart", () => {
    const base = digestsOf("INSERT INTO `t` VALUES (1,'a'),(2,'b');\nINSERT INTO `u` VALUES (1,'a');\n");
    expect(digestsOf("INSERT INTO `t` VALUES (1,'a'),(2,'B');\nINSERT INTO `u` VALUES (1,'a');\n").t).not.toBe(base.t);
    expect(digestsOf("INSERT INTO `t` VALUES (2,'b'),(1,'a');\n").t).not.toBe(base.t);
    expect(digestsOf("INSERT INTO `t` VALUES (1,'a');\n").t).not.toBe(base.t);
    expect(base.u).not.toBe(base.t);
    expect(digestsOf("INSERT INTO `t` VALUES (1,'a'),(2,'b');\n").t).toBe(base.t);
  });

  it("gives the same digests whatever the chunk boundaries", () => {
    const all = Buffer.from(DUMP);
    const whole = scan([all]).digests();
    expect(Object.keys(whole)).toEqual(["images", "odd`name", "quick", "schema_migrations", "users"]);
    for (let cut = 0; cut <= all.length; cut++) expect(scan([all.subarray(0, cut), all.subarray(cut)]).digests()).toEqual(whole);
    expect(scan([...all].map((b) => Buffer.from([b]))).digests()).toEqual(whole);
  });
});
