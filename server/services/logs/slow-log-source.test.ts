import { describe, expect, it } from "vitest";
import { buildTailArgv, parseSlowLogLocation } from "./slow-log-source";

describe("slow query log location", () => {
  it("reads the flag and an absolute file, or a file relative to the datadir", () => {
    expect(parseSlowLogLocation("1\t/var/lib/mysql/pxf-slow.log\t/var/lib/mysql/\n", "db")).toEqual({
      isEnabled: true,
      file: "/var/lib/mysql/pxf-slow.log",
    });
    expect(parseSlowLogLocation("0\tvm-slow.log\t/var/lib/mysql/\n", "db")).toEqual({
      isEnabled: false,
      file: "/var/lib/mysql/vm-slow.log",
    });
  });

  it("refuses paths that are not plain absolute paths", () => {
    for (const file of ["/var/lib/mysql/../../etc/shadow", "/tmp/a b.log", "/tmp/$(reboot)", "/tmp/x;rm"]) {
      expect(() => parseSlowLogLocation(`1\t${file}\t/var/lib/mysql/`, "db"), file).toThrow(/unusual path/);
    }
  });

  it("passes the file as an argument, never as script text", () => {
    const argv = buildTailArgv("/var/lib/mysql/pxf-slow.log", 200, true);
    expect(argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(argv[2]).not.toContain("pxf-slow.log");
    expect(argv.slice(3)).toEqual(["pxf-slowlog", "-n", "200", "-F", "/var/lib/mysql/pxf-slow.log"]);
    expect(buildTailArgv("/f.log", "all", false).slice(4)).toEqual(["-n", "+1", "/f.log"]);
  });
});
