import { describe, expect, it } from "vitest";
import { compareDrill } from "./drill-compare";

describe("compareDrill", () => {
  it("passes when every recorded table comes back with its rows and checksum", () => {
    const r = compareDrill(
      { rowCounts: { a: 2, b: 0 }, checksums: { a: "1", b: "0" } },
      { rowCounts: { a: 2, b: 0 }, checksums: { a: "1", b: "0" } },
    );
    expect(r.passed).toBe(true);
  });

  it("fails on a missing table, a row count or a checksum mismatch, naming each", () => {
    const r = compareDrill(
      { rowCounts: { a: 2, b: 1, c: 5 }, checksums: { c: "9" } },
      { rowCounts: { a: 3, c: 5, d: 1 }, checksums: { c: "8" } },
    );
    expect(r.passed).toBe(false);
    expect(r.problems).toEqual([
      "a: 3 rows restored, 2 recorded",
      "b: missing after restore (expected 1 rows)",
      "c: the restored rows differ from the backup's (digest 8 restored, 9 recorded)",
      "d: restored but not recorded in the backup",
    ]);
  });
});
