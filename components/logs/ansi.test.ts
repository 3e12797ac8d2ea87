import { describe, expect, it } from "vitest";
import { createMatcher, parseAnsi, splitMatches } from "./ansi";

describe("parseAnsi", () => {
  it("colours segments and resets", () => {
    expect(parseAnsi("out 1 \x1b[32mgreen\x1b[0m!")).toEqual(
      [{ text: "out 1 " }, { text: "green", color: "#22c55e" }, { text: "!" }].map((s) => ({ isBold: undefined, color: undefined, ...s })),
    );
  });

  it("drops unknown escapes and keeps markup as text", () => {
    const segs = parseAnsi("\x1b[2K\x1b[1;31m<b>x</b>\x1b[m");
    expect(segs).toEqual([{ text: "<b>x</b>", color: "#ef4444", isBold: true }]);
  });

  it("leaves plain text alone", () => {
    expect(parseAnsi("plain")).toEqual([{ text: "plain" }]);
  });
});

describe("splitMatches", () => {
  it("marks plain matches case-insensitively, regex as written", () => {
    expect(splitMatches("Err 1 err", createMatcher("err", false))).toEqual([
      { text: "Err", isMatch: true },
      { text: " 1 ", isMatch: false },
      { text: "err", isMatch: true },
    ]);
    expect(
      splitMatches("a1b22", createMatcher("\\d+", true))
        .filter((s) => s.isMatch)
        .map((s) => s.text),
    ).toEqual(["1", "22"]);
    expect(splitMatches("x", createMatcher("a*", true))).toEqual([{ text: "x", isMatch: false }]);
  });
});

describe("createMatcher (regex highlights run on the server's linear-time engine)", () => {
  const marked = (text: string, q: string, isRegex = true) =>
    splitMatches(text, createMatcher(q, isRegex))
      .filter((s) => s.isMatch)
      .map((s) => s.text);

  it("highlights a catastrophic pattern on a long line without freezing the tab", () => {
    const line = `ab ${"a".repeat(8_000)}`;
    const started = performance.now();
    expect(marked(line, "(a+)+b")).toEqual(["ab"]);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it("reads the pattern like the server: code points, JavaScript escapes and named groups", () => {
    expect(marked("x \u{1F600} y", "\\s.\\s")).toEqual([" \u{1F600} "]);
    expect(marked("caf\u00e9 A", "caf\\u00e9|\\x41")).toEqual(["caf\u00e9", "A"]);
    expect(marked("level=WARN", "(?<lvl>WARN|ERROR)")).toEqual(["WARN"]);
  });

  it("highlights nothing for a pattern the server refuses", () => {
    expect(createMatcher("(a)\\1", true)).toBeUndefined();
    expect(createMatcher("foo(?=bar)", true)).toBeUndefined();
  });

  it("treats plain text as text", () => {
    expect(marked("a.b a+b", "a+b", false)).toEqual(["a+b"]);
  });
});
