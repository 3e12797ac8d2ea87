import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { compileFilter, findUnsafeRegexReason, stripAnsi } from "./filter";

describe("findUnsafeRegexReason", () => {
  it.each(["(a+)+", "(a*)*", "(\\w+\\s?)*$", "(a|aa)+", "((ab)*c)+", "(x+){2,}", "(a)\\1"])("refuses %s", (p) => {
    expect(findUnsafeRegexReason(p)).toBeTruthy();
  });
  it.each(["error \\d+", "^GET /api/.*200$", "(foo|bar) baz", "[(a+)+]x", "(ab)+", "a+?b", "\\(a+\\)+"])("allows %s", (p) => {
    expect(findUnsafeRegexReason(p)).toBeUndefined();
  });
});

describe("compileFilter", () => {
  it("matches plain text case-insensitively, ignoring colour codes", () => {
    const f = compileFilter("ERR 1", false);
    expect(f.matchBatch(["err 1 \x1b[31mred", "out 1", "\x1b[1mErR\x1b[0m 1"])).toEqual([true, false, true]);
  });

  it("matches a regex as written", () => {
    expect(compileFilter("^err 1\\d$", true).matchBatch(["err 12", "err 1", "Err 12"])).toEqual([true, false, false]);
  });

  it("refuses patterns that are too long, do not compile, or are catastrophic, naming the field", () => {
    for (const [p, isRegex] of [
      ["x".repeat(201), false],
      ["(", true],
      ["(a+)+$", true],
    ] as const) {
      try {
        compileFilter(p, isRegex);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).data?.field).toBe("q");
      }
    }
  });

  it("stops a slow match by its time bound instead of hanging", () => {
    // Not caught by the heuristic (no nested quantifier), still polynomial-explosive in V8.
    const f = compileFilter(".*.*.*.*.*.*!", true);
    const started = Date.now();
    expect(() => f.matchBatch(["a".repeat(300)])).toThrow(/took longer than/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("strips ANSI sequences", () => {
    expect(stripAnsi("\x1b[31mred\x1b[0m \x1b[1;32mok\x1b[m")).toBe("red ok");
  });
});
