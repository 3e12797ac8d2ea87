import { describe, expect, it } from "vitest";
import { REDACTED } from "./redact";
import { prepareLiterals, redactLiterals, redactStringLeaves, redactWith } from "./redact-literals";

describe("redactLiterals", () => {
  it("replaces every occurrence, the longest secret whole when one contains another", () => {
    const out = redactLiterals("pw=abcd1234 and abcd1234XYZ and again abcd1234", ["abcd1234", "abcd1234XYZ"]);
    expect(out).toBe(`pw=${REDACTED} and ${REDACTED} and again ${REDACTED}`);
  });

  it("treats a secret as plain text, never as a pattern", () => {
    // As a regex, "a.c*(" would be invalid or match "abc"; as text it matches only itself.
    expect(redactLiterals("abc a.c*( abcc", ["a.c*("])).toBe(`abc ${REDACTED} abcc`);
    expect(redactLiterals("x$&yz $1 ok", ["$&yz", "$1 o"])).toBe(`x${REDACTED} ${REDACTED}k`);
  });

  it("skips secrets too short to replace safely and ones the marker itself contains", () => {
    expect(prepareLiterals(["", "abc", null, undefined, "DACT", "REDACTED", "long-secret", "long-secret"])).toEqual(["long-secret"]);
    expect(redactLiterals("a b c [REDACTED]", ["a", "DACT"])).toBe("a b c [REDACTED]");
  });

  it("stays linear on a large text (one pass per secret)", () => {
    const text = "x".repeat(2_000_000);
    const started = performance.now();
    redactLiterals(
      text,
      Array.from({ length: 50 }, (_, i) => `secret-${i}-${"x".repeat(20)}`),
    );
    // Generous bound: a backtracking or quadratic implementation takes minutes here.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("redactWith and redactStringLeaves", () => {
  it("replaces literals first, then the secret shapes", () => {
    expect(redactWith("token=zz-top-secret-zz and s3cr3t-value", ["s3cr3t-value"])).toBe(`token=${REDACTED} and ${REDACTED}`);
  });

  it("redacts every string leaf of nested details, keeping keys, numbers and booleans", () => {
    const details = { error: "boom s3cr3t-value", nested: { list: ["ok", "s3cr3t-value!"], n: 3, ok: true }, at: null };
    const out = redactStringLeaves(details, (t) => redactLiterals(t, ["s3cr3t-value"]));
    expect(out).toEqual({ error: `boom ${REDACTED}`, nested: { list: ["ok", `${REDACTED}!`], n: 3, ok: true }, at: null });
    expect(details.error).toBe("boom s3cr3t-value");
  });

  it("fails closed on a structure nested deeper than it walks", () => {
    let deep: unknown = "s3cr3t-value";
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(JSON.stringify(redactStringLeaves(deep, (t) => t))).not.toContain("s3cr3t-value");
  });
});
