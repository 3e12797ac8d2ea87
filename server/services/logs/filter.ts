import vm from "node:vm";
import { AppError } from "@/server/errors";

/** Longest filter the API accepts. */
export const MAX_PATTERN_LENGTH = 200;
/** Only this much of a line is searched, so one huge line cannot make a match slow. */
export const MAX_MATCH_CHARS = 8 * 1024;
/** Wall-clock budget for matching one batch of lines; a pattern that exceeds it is stopped. */
export const BATCH_BUDGET_MS = 250;

/** Decides which lines a viewer gets; `matchBatch` throws PATTERN_TIMEOUT-style AppErrors. */
export interface LineFilter {
  /** True for each text that matches, in order. */
  matchBatch(texts: string[]): boolean[];
}

// ESC [ … final byte, and other two-byte escapes: colour codes are not part of what the user reads.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;

/** The text as the user reads it (ANSI escape sequences removed). */
export function stripAnsi(text: string): string {
  return text.includes("\x1b") ? text.replace(ANSI, "") : text;
}

/**
 * Refuse regular expressions that are known to backtrack catastrophically: a quantified group
 * that itself contains a quantifier (`(a+)+`, `(\w*)*`, `(a|aa)+` style alternation under a
 * quantifier), and back-references. A heuristic: the time bound in `compileFilter` is the backstop.
 */
export function findUnsafeRegexReason(pattern: string): string | undefined {
  if (/\\[1-9]|\\k</.test(pattern)) return "back-references are not allowed";
  const stack: { hasQuantifier: boolean; hasAlternation: boolean }[] = [];
  let lastGroup: { hasQuantifier: boolean; hasAlternation: boolean } | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      lastGroup = undefined;
      continue;
    }
    if (c === "[") {
      // Skip a character class: its quantifier-looking characters are literals.
      let j = i + 1;
      if (pattern[j] === "]") j++;
      while (j < pattern.length && pattern[j] !== "]") j += pattern[j] === "\\" ? 2 : 1;
      i = j;
      lastGroup = undefined;
      continue;
    }
    if (c === "(") {
      stack.push({ hasQuantifier: false, hasAlternation: false });
      lastGroup = undefined;
      continue;
    }
    if (c === ")") {
      lastGroup = stack.pop();
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === "|" && top) top.hasAlternation = true;
    const isQuantifier = c === "*" || c === "+" || (c === "{" && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)));
    if (isQuantifier) {
      if (lastGroup && (lastGroup.hasQuantifier || lastGroup.hasAlternation)) {
        return "a repeated group may not contain another repetition or an alternation (e.g. (a+)+); it can take exponential time";
      }
      for (const g of stack) g.hasQuantifier = true;
    }
    if (c !== "?") lastGroup = undefined;
  }
  return undefined;
}

/** Compile a user's filter. Plain text matches case-insensitively; a regex matches as written. */
export function compileFilter(q: string, isRegex: boolean): LineFilter {
  if (q.length > MAX_PATTERN_LENGTH)
    throw badPattern(`The filter is ${q.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed.`);
  if (!isRegex) {
    const needle = q.toLowerCase();
    return { matchBatch: (texts) => texts.map((t) => stripAnsi(t).slice(0, MAX_MATCH_CHARS).toLowerCase().includes(needle)) };
  }
  const reason = findUnsafeRegexReason(q);
  if (reason) throw badPattern(`The regular expression is refused: ${reason}. Simplify it, or use a plain-text filter.`);
  let re: RegExp;
  try {
    re = new RegExp(q);
  } catch (err) {
    throw badPattern(`The regular expression does not compile: ${(err as Error).message}`);
  }
  // Security: the batch runs in a vm context with a timeout, which interrupts a runaway regex
  // (V8 checks for termination while backtracking), so no pattern can hang the server.
  const context = vm.createContext({ re, texts: [] as string[], out: [] as boolean[] });
  const script = new vm.Script("out = texts.map((t) => { re.lastIndex = 0; return re.test(t); });");
  return {
    matchBatch(texts) {
      context.texts = texts.map((t) => stripAnsi(t).slice(0, MAX_MATCH_CHARS));
      try {
        script.runInContext(context, { timeout: BATCH_BUDGET_MS });
      } catch (err) {
        if (/timed out/i.test((err as Error).message)) {
          throw new AppError(
            "BAD_REQUEST",
            `The regular expression took longer than ${BATCH_BUDGET_MS} ms on one batch of lines and was stopped. Simplify it.`,
            { data: { field: "q" } },
          );
        }
        throw err;
      }
      return context.out as boolean[];
    },
  };
}

function badPattern(message: string): AppError {
  return new AppError("BAD_REQUEST", message, { data: { field: "q" } });
}
