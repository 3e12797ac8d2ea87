import { RE2JS } from "re2js";

/**
 * A user's regular expression (JavaScript syntax) compiled for RE2JS, a linear-time engine: it
 * never backtracks, so no pattern can take more than (program size × text length) steps. Pure
 * code, shared by the server's filter and the browser's highlighter so both read a pattern alike.
 */
export type LinearRegex = RE2JS;

/**
 * Largest compiled program accepted. A regex costs up to (program size × characters) steps, and a
 * repetition count multiplies its group (`a{1000}` is a 1,000-step program), so this bounds the
 * worst case per character; RE2 itself refuses counts above 1,000.
 */
export const MAX_PROGRAM_SIZE = 1_000;

/** Only this much of a line is searched (after ANSI codes are removed), so one huge line cannot make a match slow. */
export const MAX_MATCH_CHARS = 8 * 1024;
/**
 * A regex costs up to (program size × characters) steps; a line gets at most this many, so a large
 * regex searches fewer characters (never fewer than MIN_MATCH_CHARS). Patterns up to 128 steps, nearly
 * every real filter, search all MAX_MATCH_CHARS; the slowest 8 KiB line then takes tens of ms here, not seconds.
 */
export const MAX_STEPS_PER_LINE = 128 * MAX_MATCH_CHARS;
export const MIN_MATCH_CHARS = 1024;

/** How many characters of a line a regex of `programSize` steps searches. */
export function searchedChars(programSize: number): number {
  return Math.max(MIN_MATCH_CHARS, Math.min(MAX_MATCH_CHARS, Math.floor(MAX_STEPS_PER_LINE / programSize)));
}

// JavaScript's \s (Unicode spaces, \v, BOM), written for RE2, whose \s is only [\t\n\f\r ].
const JS_SPACE = String.raw`\t\n\v\f\r\p{Z}\x{FEFF}`;

const NO_LOOKAROUND = "and the filter's linear-time engine (RE2) has no back-references or look-around";

/** Why the pattern cannot run in linear time (lookaround, back-references), or undefined. Reads JavaScript syntax. */
export function findUnsupportedSyntax(pattern: string): string | undefined {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      if (/[1-9]/.test(next)) return `it uses a back-reference (\\${next}), ${NO_LOOKAROUND}`;
      if (next === "k" && pattern[i + 2] === "<") return `it uses a named back-reference (\\k<…>), ${NO_LOOKAROUND}`;
      i++;
    } else if (c === "[") {
      i = skipClass(pattern, i);
    } else if (c === "(" && pattern[i + 1] === "?") {
      const kind = pattern.slice(i + 2, i + 4);
      if (kind.startsWith("=") || kind.startsWith("!")) return `it uses a look-ahead ((?=…) or (?!…)), ${NO_LOOKAROUND}`;
      if (kind === "<=" || kind === "<!") return `it uses a look-behind ((?<=…) or (?<!…)), ${NO_LOOKAROUND}`;
    }
  }
  return undefined;
}

/** Index of the `]` that closes the class opened at `open` (JavaScript: `[]` is an empty class), or the end. */
function skipClass(pattern: string, open: number): number {
  let j = open + 1;
  if (pattern[j] === "^") j++;
  while (j < pattern.length && pattern[j] !== "]") j += pattern[j] === "\\" ? 2 : 1;
  return j;
}

/** JavaScript's `\s` and `\S` (outside classes) and `\s` (inside) as RE2 classes, so matches agree; runs on RE2 syntax. */
function translateSpaces(pattern: string): string {
  let out = "";
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      if (next === "s") out += depth ? JS_SPACE : `[${JS_SPACE}]`;
      else if (next === "S" && !depth) out += `[^${JS_SPACE}]`;
      else out += c + next;
      i++;
      continue;
    }
    if (c === "[" && !depth) {
      depth = 1;
      out += c;
      // A leading `]` (or `^]`) is a literal in both syntaxes.
      if (pattern[i + 1] === "^") out += pattern[++i];
      if (pattern[i + 1] === "]") out += pattern[++i];
      continue;
    }
    if (c === "]" && depth) depth = 0;
    out += c;
  }
  return out;
}

/**
 * Compiles a JavaScript-syntax regex for the linear-time engine, or says why it cannot (to follow
 * "is refused: "): unsupported syntax, a parse error, or a program over MAX_PROGRAM_SIZE.
 */
export function compileLinearRegex(pattern: string, flags = 0): { re: LinearRegex } | { reason: string } {
  const unsupported = findUnsupportedSyntax(pattern);
  if (unsupported) return { reason: unsupported };
  let re: RE2JS;
  try {
    re = RE2JS.compile(translateSpaces(RE2JS.translateRegExp(pattern)), flags);
  } catch (err) {
    return { reason: `it does not compile (${(err as Error).message.replace(/^error parsing regexp: /, "")})` };
  }
  const size = re.programSize();
  if (size > MAX_PROGRAM_SIZE) {
    const n = (x: number) => x.toLocaleString("en-US");
    return {
      reason: `it is too large: it compiles to ${n(size)} steps and at most ${n(MAX_PROGRAM_SIZE)} are allowed (a count like {500} repeats its group 500 times)`,
    };
  }
  return { re };
}
