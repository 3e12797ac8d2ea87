import { describe, expect, it } from "vitest";
import type { EnvEntry } from "./env-format";
import { hostEnvFileText } from "./host-env-file";
import { describeChanges, headerVersion, judgeHostEnvFile, judgeHostEnvText } from "./host-env-drift";

const v1: EnvEntry[] = [
  ["DB_HOST", "db"],
  ["DB_PASSWORD", "first-password-0123456789"],
];
const v2: EnvEntry[] = [
  ["DB_HOST", "db"],
  ["DB_PASSWORD", "second-password-0123456789"],
];
const fileOf = (version: number, entries: EnvEntry[]) =>
  hostEnvFileText({ version, entries: entries.map(([k, v]) => `${k}=${v}`) }, new Date("2026-12-01T00:00:00Z"));
const written = (n: number) => (n === 1 ? v1 : null);
const newest = { version: 2, entries: v2 };

describe("judgeHostEnvFile", () => {
  it("no file is absent", () => {
    expect(judgeHostEnvFile(null, newest, written)).toEqual({ state: "absent" });
  });

  it("the newest version as the panel wrote it is current", () => {
    expect(headerVersion(fileOf(2, v2))).toBe(2);
    expect(judgeHostEnvFile(fileOf(2, v2), newest, written)).toEqual({ state: "current", version: 2 });
  });

  it("an older version the panel wrote, untouched, is behind: a write loses nothing (secret values are never shown)", () => {
    const r = judgeHostEnvFile(fileOf(1, v1), newest, written);
    expect(r).toEqual({ state: "behind", version: 1, changes: [{ key: "DB_PASSWORD", change: "changed", from: null, to: null }] });
  });

  it("a hand edit after the panel wrote it is edited, with what a write would undo", () => {
    const text = fileOf(1, v1).replace("DB_HOST=db", "DB_HOST=10.0.0.9") + "EXTRA=1\n";
    const r = judgeHostEnvFile(text, newest, written);
    expect(r).toMatchObject({ state: "edited", version: 1 });
    if (r.state !== "edited") throw new Error("unreachable");
    expect(describeChanges(r.changes)).toBe("DB_HOST changed (db → 10.0.0.9), EXTRA added");
  });

  it("a file the panel did not write is edited, compared with the newest version; one already equal to it is current", () => {
    const template = "DB_HOST=db\nDB_PASSWORD=strong_db_password\n";
    const r = judgeHostEnvFile(template, newest, written);
    expect(r).toMatchObject({ state: "edited", version: null, changes: [{ key: "DB_PASSWORD", change: "changed", from: null, to: null }] });
    expect(judgeHostEnvFile("DB_HOST=db\nDB_PASSWORD=second-password-0123456789\n", newest, written)).toEqual({
      state: "current",
      version: 2,
    });
  });

  it("a file without the header that holds a recent version (APP_PORT aside: the deploy sets it) is that version, not an edit", async () => {
    const template = "APP_PORT=4000\nDB_HOST=db\nDB_PASSWORD=first-password-0123456789\n";
    expect(judgeHostEnvFile(template, newest, written, [1])).toMatchObject({ state: "behind", version: 1 });
    const lookedUp: number[] = [];
    const lookup = async (v: number) => (lookedUp.push(v), v === 1 ? v1 : null);
    const r = await judgeHostEnvText(template, { version: 3, entries: ["DB_HOST=db"] }, lookup);
    expect(r).toMatchObject({ state: "behind", version: 1 });
    expect(lookedUp).toEqual([2, 1]);
  });

  it("a header naming a version that is gone, or a file with a broken line, is edited (never overwritten on a guess)", () => {
    expect(judgeHostEnvFile(fileOf(7, v1), newest, written)).toMatchObject({ state: "edited", version: 7 });
    const broken = judgeHostEnvFile(fileOf(1, v1) + "not a line\n", newest, written);
    expect(broken).toMatchObject({ state: "edited", problems: ["line 5: Expected KEY=VALUE"] });
  });
});
