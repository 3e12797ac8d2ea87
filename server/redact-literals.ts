import { REDACTED, redactPatterns } from "@/server/redact";

/** Literal secrets shorter than this are not replaced: "a" or "1" would shred the text. */
export const MIN_LITERAL_LENGTH = 4;

/**
 * The secrets worth replacing, longest first (a secret that contains another is replaced whole), without
 * duplicates, too-short values or values that the marker itself contains (replacing them would nest markers).
 */
export function prepareLiterals(secrets: Iterable<string | null | undefined>): string[] {
  const unique = new Set<string>();
  for (const s of secrets) {
    if (typeof s === "string" && s.length >= MIN_LITERAL_LENGTH && !REDACTED.includes(s)) unique.add(s);
  }
  return [...unique].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every occurrence of each secret with `[REDACTED]`. Security: plain substring search (split/join,
 * linear in the text for each secret); no regex is ever built from a secret, so no secret can make the
 * redaction slow or be read as a pattern.
 */
export function redactLiterals(text: string, secrets: Iterable<string | null | undefined>): string {
  let out = text;
  for (const secret of prepareLiterals(secrets)) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Literal secrets first (a secret shaped like `password=…` is then replaced whole), then the known secret shapes. */
export function redactWith(text: string, secrets: Iterable<string | null | undefined>): string {
  return redactPatterns(redactLiterals(text, secrets));
}

/**
 * A copy of a JSON-like value with every string leaf passed through `redactText` (object keys are kept:
 * they are field names the panel wrote). Non-plain values (dates, numbers, booleans) are kept as they are.
 */
export function redactStringLeaves<T>(value: T, redactText: (text: string) => string): T {
  return mapLeaves(value, redactText, 0) as T;
}

const MAX_DEPTH = 32;

function mapLeaves(value: unknown, redactText: (text: string) => string, depth: number): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  // Security: fail closed: a structure nested this deep is not kept unredacted.
  if (depth > MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => mapLeaves(v, redactText, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLeaves(v, redactText, depth + 1)]));
}
