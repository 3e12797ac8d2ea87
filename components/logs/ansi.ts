import { compileLinearRegex, MAX_MATCH_CHARS, searchedChars } from "@/server/services/logs/linear-regex";

/** A run of text with one style, from parsing ANSI SGR codes. Rendered as text: never as HTML. */
export interface AnsiSegment {
  text: string;
  /** CSS colour for the foreground, if an SGR colour is set. */
  color?: string;
  isBold?: boolean;
}

const PALETTE = ["#4b5563", "#ef4444", "#22c55e", "#eab308", "#3b82f6", "#d946ef", "#06b6d4", "#d1d5db"];
const BRIGHT = ["#6b7280", "#f87171", "#4ade80", "#facc15", "#60a5fa", "#e879f9", "#22d3ee", "#f9fafb"];
// CSI sequences (SGR and others) and two-byte escapes.
const ESCAPES = /\x1b\[([0-9;?]*)([ -/]*[@-~])|\x1b[@-Z\\-_]/g;

function color256(n: number): string | undefined {
  if (n < 8) return PALETTE[n];
  if (n < 16) return BRIGHT[n - 8];
  if (n < 232) {
    const v = n - 16;
    const c = (x: number) => (x === 0 ? 0 : 55 + x * 40);
    return `rgb(${c(Math.floor(v / 36))},${c(Math.floor(v / 6) % 6)},${c(v % 6)})`;
  }
  if (n < 256) {
    const g = 8 + (n - 232) * 10;
    return `rgb(${g},${g},${g})`;
  }
  return undefined;
}

/**
 * Splits a log line into styled segments. Supports SGR reset, bold, the 8/16 colours, 256 colours
 * and truecolor foregrounds; every other escape sequence is dropped so it never shows as garbage.
 */
export function parseAnsi(text: string): AnsiSegment[] {
  if (!text.includes("\x1b")) return [{ text }];
  const out: AnsiSegment[] = [];
  let color: string | undefined;
  let isBold = false;
  let last = 0;
  const emit = (piece: string) => {
    if (piece) out.push({ text: piece, color, isBold: isBold || undefined });
  };
  for (const m of text.matchAll(ESCAPES)) {
    emit(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] !== "m") continue;
    const codes = (m[1] ?? "").split(";").map((c) => (c === "" ? 0 : Number(c)));
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i] ?? 0;
      if (c === 0) {
        color = undefined;
        isBold = false;
      } else if (c === 1) isBold = true;
      else if (c === 22) isBold = false;
      else if (c >= 30 && c <= 37) color = PALETTE[c - 30];
      else if (c >= 90 && c <= 97) color = BRIGHT[c - 90];
      else if (c === 39) color = undefined;
      else if (c === 38 && codes[i + 1] === 5) {
        color = color256(codes[i + 2] ?? -1);
        i += 2;
      } else if (c === 38 && codes[i + 1] === 2) {
        color = `rgb(${codes[i + 2] ?? 0},${codes[i + 3] ?? 0},${codes[i + 4] ?? 0})`;
        i += 4;
      } else if (c === 48 && codes[i + 1] === 5) i += 2;
      else if (c === 48 && codes[i + 1] === 2) i += 4;
    }
  }
  emit(text.slice(last));
  return out;
}

/** Finds the ranges of a text to highlight, as [start, end) pairs in order. */
export type TextMatcher = (text: string) => Iterable<readonly [number, number]>;

/** Matches looked at per segment at most: enough for a screen, bounded for a pathological pattern. */
const MAX_HIGHLIGHTS = 200;
const HIGHLIGHT_BUDGET_MS = 5;

/** Splits `text` around the matcher's ranges (empty matches are skipped), for highlighting. */
export function splitMatches(text: string, matcher: TextMatcher | undefined): { text: string; isMatch: boolean }[] {
  if (!matcher || !text) return [{ text, isMatch: false }];
  const out: { text: string; isMatch: boolean }[] = [];
  let last = 0;
  for (const [start, end] of matcher(text)) {
    if (start > last) out.push({ text: text.slice(last, start), isMatch: false });
    out.push({ text: text.slice(start, end), isMatch: true });
    last = end;
  }
  if (last < text.length) out.push({ text: text.slice(last), isMatch: false });
  return out;
}

/**
 * The highlighter for a filter: plain text case-insensitively, a regex on the same linear-time engine
 * (RE2) and syntax as the server's filter, so a pattern the server accepted cannot freeze the tab.
 * Only the characters the server searched are highlighted; undefined for a pattern the server refuses.
 */
export function createMatcher(q: string | undefined, isRegex: boolean): TextMatcher | undefined {
  if (!q) return undefined;
  if (!isRegex) {
    const needle = new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
    return (text) => boundedRanges(text.slice(0, MAX_MATCH_CHARS).matchAll(needle));
  }
  const compiled = compileLinearRegex(q);
  if ("reason" in compiled) return undefined;
  const { re } = compiled;
  const chars = searchedChars(re.programSize());
  return (text) => boundedRanges(re.matchAll(text.slice(0, chars)));
}

function* boundedRanges(matches: Iterable<RegExpMatchArray>): Generator<readonly [number, number]> {
  const started = performance.now();
  let count = 0;
  for (const m of matches) {
    const start = m.index ?? 0;
    if (m[0].length) yield [start, start + m[0].length] as const;
    if (++count >= MAX_HIGHLIGHTS || performance.now() - started > HIGHLIGHT_BUDGET_MS) return;
  }
}
