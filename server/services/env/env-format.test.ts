import { describe, expect, it } from "vitest";
import { diffEnv, formatEnv, maskEntries, parseEnvText } from "./env-format";

describe("parseEnvText", () => {
  it("reads KEY=VALUE lines as compose's env_file does: comments, export, quotes kept literally", () => {
    const r = parseEnvText("# db\nDB_HOST=10.0.0.2\nexport DB_PASSWORD=\"p a#ss\"\nGREETING='hi $USER'\n\nEMPTY=\nURL=http://x/?a=b\n");
    expect(r.problems).toEqual([]);
    expect(r.entries).toEqual([
      ["DB_HOST", "10.0.0.2"],
      ["DB_PASSWORD", "p a#ss"],
      ["GREETING", "hi $USER"],
      ["EMPTY", ""],
      ["URL", "http://x/?a=b"],
    ]);
  });

  it("names the line and the rule of every problem", () => {
    const r = parseEnvText('OK=1\nno equals\n1BAD=x\nOK=2\nQ="open\n');
    expect(r.problems).toEqual([
      { line: 2, message: "Expected KEY=VALUE" },
      { line: 3, message: '"1BAD" is not a valid name (letters, digits and _, not starting with a digit)' },
      { line: 4, message: "OK is already set on line 1" },
      { line: 5, message: 'Q: the opening " is never closed' },
    ]);
  });

  it("round-trips through formatEnv", () => {
    const entries = parseEnvText('A=1\nB="two words"\nC=x#y\nD=\'say "hi"\'\n').entries;
    expect(entries).toContainEqual(["D", 'say "hi"']);
    expect(parseEnvText(formatEnv(entries)).entries).toEqual(entries);
  });
});

describe("masking and diffs", () => {
  it("masks secret-looking keys and never shows their values in a diff", () => {
    expect(
      maskEntries([
        ["DB_PASSWORD", "hunter22"],
        ["DB_HOST", "db"],
        ["JWT_SECRET", ""],
      ]),
    ).toEqual([
      ["DB_PASSWORD", "•••••• (8 characters)"],
      ["DB_HOST", "db"],
      ["JWT_SECRET", ""],
    ]);
    expect(
      diffEnv(
        [
          ["A", "1"],
          ["DB_PASSWORD", "x"],
          ["GONE", "g"],
        ],
        [
          ["A", "2"],
          ["DB_PASSWORD", "y"],
          ["NEW", "n"],
        ],
      ),
    ).toEqual([
      { key: "A", change: "changed", from: "1", to: "2" },
      { key: "DB_PASSWORD", change: "changed", from: null, to: null },
      { key: "NEW", change: "added", from: null, to: "n" },
      { key: "GONE", change: "removed", from: "g", to: null },
    ]);
  });
});
