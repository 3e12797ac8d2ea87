import { describe, expect, it } from "vitest";
import { downloadName, parseRange } from "./download";
import { buildDumpArgv, buildRestoreArgv, buildStopDumpArgv, cleanStderr, reportedExit } from "./dump-commands";

describe("downloadName", () => {
  const createdAt = new Date("2026-11-28T08:30:15.123Z");
  it("names a dump after its database and an uploads archive after its host, as .sql.gz / .tar.gz", () => {
    expect(downloadName({ id: "cabc12345", kind: "mysql", database: "pixelfox_db", hostName: null, createdAt })).toBe(
      "pixelfox_db-2026-11-28T08-30-15-cabc12345.sql.gz",
    );
    expect(downloadName({ id: "cabc12345", kind: "uploads", database: null, hostName: "app-2", createdAt })).toBe(
      "uploads-app-2-2026-11-28T08-30-15-cabc12345.tar.gz",
    );
  });
  it("keeps quotes and line breaks of a host name out of the header", () => {
    expect(downloadName({ id: "cabc12345", kind: "uploads", database: null, hostName: 'a"b\r\nc d', createdAt })).toBe(
      "uploads-a_b__c_d-2026-11-28T08-30-15-cabc12345.tar.gz",
    );
  });
});

describe("parseRange", () => {
  it("parses single ranges and clamps the end", () => {
    expect(parseRange(null, 100)).toBeNull();
    expect(parseRange("bytes=0-9", 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=90-", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=-10", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=50-500", 100)).toEqual({ start: 50, end: 99 });
  });
  it("refuses ranges past the end, ignores what it does not understand", () => {
    expect(parseRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=9-3", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=0-1,5-6", 100)).toBeNull();
    expect(parseRange("items=1-2", 100)).toBeNull();
  });
});

describe("dump commands", () => {
  it("keeps values out of the script text and flags per server kind", () => {
    const maria = buildDumpArgv("pixelfox_db", true);
    expect(maria.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(maria[2]).not.toContain("pixelfox_db");
    expect(maria).toContain("mariadb-dump");
    expect(maria).not.toContain("--set-gtid-purged=OFF");
    expect(maria.join(" ")).not.toMatch(/-p|password/i);
    expect(buildDumpArgv("app", false)).toContain("--set-gtid-purged=OFF");
    expect(buildRestoreArgv("pixelfox_db", true).at(-1)).toBe("pixelfox_db");
  });
  it("reads the reported exit status and cleans the markers", () => {
    expect(reportedExit("warning\npxf-dump-exit:2\n", "pxf-dump-exit")).toBe(2);
    expect(reportedExit("", "pxf-dump-exit")).toBeNull();
    expect(cleanStderr("mysqldump: Got error\npxf-dump-exit:2\n")).toBe("mysqldump: Got error");
    expect(reportedExit("pxf-dump-group:598\nwarning\n", "pxf-dump-group")).toBe(598);
    expect(cleanStderr("pxf-dump-group:598\nmysqldump: Got error\npxf-dump-exit:2\n")).toBe("mysqldump: Got error");
  });
  it("stops a leftover dump by its process group, the pid as an argument only", () => {
    expect(buildStopDumpArgv(598)).toEqual(["sh", "-c", expect.stringContaining('kill -s KILL -- "-$1"'), "pxf-stop", "598"]);
    expect(() => buildStopDumpArgv(1)).toThrow();
    expect(() => buildStopDumpArgv(Number.NaN)).toThrow();
  });
});
