import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { compileFilter, FilterBudget, FilterBudgetError, MAX_MATCH_CHARS, searchedChars, selectMatching, stripAnsi } from "./filter";
import { compileLinearRegex } from "./linear-regex";

function refusal(q: string, isRegex = true): AppError {
  try {
    compileFilter(q, isRegex);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error(`${q} was accepted`);
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe("compileFilter: patterns that backtrack catastrophically in JavaScript", () => {
  // Each of these takes seconds to forever on V8's RegExp with the line below; the old filter refused
  // the first ones by heuristic and stopped the others after 250 ms of burnt CPU per batch.
  const catastrophic: [string, string][] = [
    ["(a+)+$", `${"a".repeat(100_000)}!`],
    ["(a|aa)+b", "a".repeat(100_000)],
    ["(.*a){20}", `${"a".repeat(100_000)}`],
    ["(\\w+\\s?)*$", `${"word ".repeat(20_000)}!`],
    [".*.*.*.*.*.*!", "a".repeat(100_000)],
    ["(x+x+)+y", "x".repeat(100_000)],
  ];

  it.each(catastrophic)("%s runs in milliseconds on a 100 KB adversarial line (engine, whole line)", (pattern, line) => {
    const compiled = compileLinearRegex(pattern);
    if ("reason" in compiled) throw new Error(compiled.reason);
    compiled.re.test(line); // warm up the engine's caches, as a stream would
    const { ms } = timed(() => compiled.re.test(`${line}.`));
    expect(ms).toBeLessThan(250);
  });

  it.each(catastrophic)("%s is accepted as a filter and answers like the definition says", (pattern, line) => {
    const filter = compileFilter(pattern, true);
    const { value, ms } = timed(() => filter.matchBatch([line, "nothing to see"]));
    expect(value[1]).toBe(new RegExp(pattern).test("nothing to see"));
    expect(ms).toBeLessThan(250);
  });
});

describe("compileFilter: refusals name the field and the rule", () => {
  it.each([
    ["(a)\\1", /back-reference \(\\1\)/],
    ["(?<w>a)\\k<w>", /named back-reference/],
    ["foo(?=bar)", /look-ahead/],
    ["foo(?!bar)", /look-ahead/],
    ["(?<=x)y", /look-behind/],
    ["(?<!x)y", /look-behind/],
  ])("refuses %s: RE2 has no back-references or look-around", (pattern, rule) => {
    const err = refusal(pattern);
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.data?.field).toBe("q");
    expect(err.message).toMatch(rule);
    expect(err.message).toContain("(q, with regex=1)");
    expect(err.message).toContain("linear-time engine (RE2)");
  });

  it("refuses a pattern that does not compile, one too large, and one too long", () => {
    expect(refusal("(").message).toMatch(/does not compile \(missing closing \)/);
    expect(refusal("a{1000}b{1000}").message).toMatch(/too large: it compiles to 2,00\d steps and at most 1,000/);
    const long = refusal("x".repeat(201), false);
    expect(long.data?.field).toBe("q");
    expect(long.message).toMatch(/201 characters long; at most 200/);
  });

  it("allows what only looks like lookaround or a back-reference", () => {
    for (const p of ["\\\\1", "[(?=]x", "\\(\\?=x\\)", "(?:ab)+", "(?<name>ab)"]) expect(() => compileFilter(p, true), p).not.toThrow();
  });
});

describe("compileFilter: ordinary patterns match exactly as JavaScript's RegExp", () => {
  const lines = [
    "",
    "2026-01-31T12:00:00Z ERROR payment failed: timeout after 30s",
    "GET /api/v1/items?id=123 200 0.012s",
    "GET /api/v1/items?id=124 500 1.200s",
    'POST /login {"user":"alice","status": 503}',
    "warn: disk /dev/sda1 at 91% (caf\u00e9 \u00fcber)",
    "tab\tseparated\tvalues ",
    "non\u00a0breaking space and emoji \u{1F600} here",
    "ERR1 err 1 Err 12 error",
    "connection refused by 10.0.0.12:3306",
    "foo baz bar baz qux",
    "aaa a.c abc a\nc",
    "[INFO] (worker-3) done {retries=0}",
  ];
  const patterns = [
    "error",
    "ERROR|WARN",
    "^GET /api/.*200",
    "\\s5\\d\\d\\s",
    "\\d{3}",
    "\\bERR\\b",
    "\\berr \\d\\b",
    "(foo|bar) baz",
    "user\\W+\\w+",
    '"status":\\s*5\\d\\d',
    "\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+",
    "\\s$",
    "^\\S+\\s",
    "\\s\\S\\s",
    "[\\s,]here",
    "space and",
    "[A-Z]{4,}",
    "a.c",
    "^$",
    "caf\\u00e9",
    "\\u{1F600}",
    "\\x41",
    "(?<level>WARN|ERROR)",
    "[^\\w\\s]{2}",
    "\\[INFO\\] \\(worker-\\d\\)",
    "\\/dev\\/",
    "x*?y",
    "a{2,}",
    "[]",
    "[^]",
    "\\{retries=0\\}",
  ];

  // RE2 reads a pattern as JavaScript does with the `u` flag: one character is one code point (an emoji is one `.`).
  it.each(patterns)("%s", (pattern) => {
    const expected = lines.map((l) => new RegExp(pattern, "u").test(l));
    expect(compileFilter(pattern, true).matchBatch(lines)).toEqual(expected);
  });
});

describe("compileFilter: what is searched", () => {
  it("matches plain text case-insensitively, ignoring colour codes", () => {
    const f = compileFilter("ERR 1", false);
    expect(f.matchBatch(["err 1 \x1b[31mred", "out 1", "\x1b[1mErR\x1b[0m 1"])).toEqual([true, false, true]);
  });

  it("matches a regex as written, on the text without colour codes", () => {
    expect(compileFilter("^err 1\\d$", true).matchBatch(["err 12", "err 1", "Err 12", "\x1b[31merr 13\x1b[0m"])).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });

  it("searches the first MAX_MATCH_CHARS characters of a line, fewer for a very large regex", () => {
    const far = `${"-".repeat(MAX_MATCH_CHARS)}needle`;
    expect(compileFilter("needle", false).matchBatch([far, "a needle"])).toEqual([false, true]);
    expect(compileFilter("need+le", true).matchBatch([far, "a needle"])).toEqual([false, true]);
    const big = "x{500}";
    const chars = searchedChars(compileLinearRegexSize(big));
    expect(chars).toBeLessThan(MAX_MATCH_CHARS);
    expect(compileFilter(big, true).matchBatch(["x".repeat(500), `${"-".repeat(chars)}${"x".repeat(500)}`])).toEqual([true, false]);
  });

  it("strips ANSI sequences", () => {
    expect(stripAnsi("\x1b[31mred\x1b[0m \x1b[1;32mok\x1b[m")).toBe("red ok");
  });
});

function compileLinearRegexSize(pattern: string): number {
  const compiled = compileLinearRegex(pattern);
  if ("reason" in compiled) throw new Error(compiled.reason);
  return compiled.re.programSize();
}

describe("compileFilter: the CPU budget of a stream", () => {
  /** A clock where every line costs `msPerLine`: time moves on each time the filter looks at it. */
  const costlyClock = (msPerLine: number) => {
    let now = 0;
    return () => (now += msPerLine);
  };

  it("stops a filter that keeps costing too much, with the answers so far and a message that says so", () => {
    // 50 ms a line, refilled at 100 ms/s: 45 ms net per line out of 500 ms, so the 11th line spends the budget.
    const filter = compileFilter("err", false, { clock: costlyClock(50), burstMs: 500, msPerSecond: 100 });
    const texts = Array.from({ length: 30 }, (_, i) => (i % 2 ? `err ${i}` : `out ${i}`));
    let stop: unknown;
    try {
      filter.matchBatch(texts);
    } catch (err) {
      stop = err;
    }
    expect(stop).toBeInstanceOf(FilterBudgetError);
    const err = stop as FilterBudgetError;
    expect(err.code).toBe("FILTER_BUDGET");
    expect(err.linesChecked).toBe(11);
    expect(err.matches).toEqual(texts.slice(0, 11).map((t) => t.startsWith("err")));
    expect(err.message).toMatch(/^The filter was stopped after 11 lines because it used too much CPU .*the results are incomplete/);
  });

  it("keeps the lines matched before the stop (selectMatching)", () => {
    const filter = compileFilter("err", false, { clock: costlyClock(100), burstMs: 300, msPerSecond: 0 });
    const { kept, stopped } = selectMatching(filter, ["err a", "out b", "err c", "err d", "err e"], (t) => t);
    expect(kept).toEqual(["err a", "err c"]);
    expect(stopped?.linesChecked).toBe(3);
  });

  it("stops the streams that find the panel's shared budget spent by others, before matching anything", () => {
    let now = 0;
    const clock = () => (now += 100);
    const panelBudget = new FilterBudget({ burstMs: 1_000, msPerSecond: 0 });
    const streams = Array.from({ length: 3 }, () => compileFilter("err", false, { clock, panelBudget, burstMs: 600, msPerSecond: 0 }));
    // Each stream may spend 600 ms, but together only 1,000: the second stream is stopped by the panel's budget.
    expect(() => streams[0]?.matchBatch(Array.from({ length: 5 }, () => "err"))).not.toThrow();
    expect(() => streams[1]?.matchBatch(Array.from({ length: 5 }, () => "err"))).toThrow(
      /the panel's log filters together used too much CPU/,
    );
    let third: unknown;
    try {
      streams[2]?.matchBatch(["err", "err"]);
    } catch (err) {
      third = err;
    }
    expect(third).toBeInstanceOf(FilterBudgetError);
    expect((third as FilterBudgetError).linesChecked).toBe(0);
  });

  it("lets a filter within its share run for ever, and refills with quiet time", () => {
    let now = 0;
    let cost = 0.005;
    const clock = () => (now += cost);
    const steady = compileFilter("err", false, { clock, burstMs: 500, msPerSecond: 100 });
    for (let second = 0; second < 60; second++) {
      expect(steady.matchBatch(Array.from({ length: 10_000 }, () => "err"))).toHaveLength(10_000); // 50 ms of matching
      now += 1000;
    }
    cost = 100;
    const bursty = compileFilter("err", false, { clock, burstMs: 500, msPerSecond: 100 });
    expect(() => bursty.matchBatch(["err", "err", "err"])).not.toThrow(); // ~300 ms of 500
    now += 10_000; // ten quiet seconds refill the bucket
    expect(() => bursty.matchBatch(["err", "err", "err", "err"])).not.toThrow();
    expect(() => bursty.matchBatch(["err", "err"])).toThrow(FilterBudgetError);
  });
});
