import { AppError } from "@/server/errors";
import { FilterBudget, FilterBudgetError, type FilterBudgetOptions, panelFilterBudget } from "./filter-budget";
import { compileLinearRegex, MAX_MATCH_CHARS, searchedChars } from "./linear-regex";

export { FILTER_BURST_MS, FILTER_MS_PER_SECOND, FilterBudget, FilterBudgetError } from "./filter-budget";
export { MAX_MATCH_CHARS, searchedChars } from "./linear-regex";

/** Longest filter the API accepts. */
export const MAX_PATTERN_LENGTH = 200;

/** Decides which lines a viewer gets, under a CPU budget for the whole stream. */
export interface LineFilter {
  /**
   * True for each text that matches, in order. Throws FilterBudgetError, carrying the answers for
   * the lines checked so far, once the stream's filter has used its CPU budget.
   */
  matchBatch(texts: readonly string[]): boolean[];
}

export interface CompileFilterOptions extends FilterBudgetOptions {
  /** Milliseconds, monotonic (tests pass a fake). */
  clock?: () => number;
  /**
   * The budget shared by every stream: by default the process's, except for a filter on a custom
   * clock (a test), whose fake time must not be charged to the real one.
   */
  panelBudget?: FilterBudget | null;
}

// ESC [ … final byte, and other two-byte escapes: colour codes are not part of what the user reads.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;

/** The text as the user reads it (ANSI escape sequences removed). */
export function stripAnsi(text: string): string {
  return text.includes("\x1b") ? text.replace(ANSI, "") : text;
}

/**
 * Compiles a user's filter: plain text matches case-insensitively as a substring; a regex (JavaScript
 * syntax) runs on RE2, which never backtracks, so matching time is linear in the text whatever the
 * pattern. Throws a BAD_REQUEST AppError naming `q` and the rule for a refused pattern.
 */
export function compileFilter(q: string, isRegex: boolean, options: CompileFilterOptions = {}): LineFilter {
  if (q.length > MAX_PATTERN_LENGTH)
    throw badPattern(`The filter (q) is ${q.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed.`);
  let test: (text: string) => boolean;
  if (isRegex) {
    const compiled = compileLinearRegex(q);
    if ("reason" in compiled) {
      throw badPattern(
        `The filter (q, with regex=1) is refused: ${compiled.reason}. Simplify it, or turn off Regex to search for plain text.`,
      );
    }
    const { re } = compiled;
    const chars = searchedChars(re.programSize());
    test = (text) => re.test(stripAnsi(text).slice(0, chars));
  } else {
    const needle = q.toLowerCase();
    test = (text) => stripAnsi(text).slice(0, MAX_MATCH_CHARS).toLowerCase().includes(needle);
  }
  return budgeted(test, options);
}

/**
 * Security: RE2 bounds the time per line; the budgets bound the time per stream and for all streams
 * together: a filter that keeps using more than its share of the CPU is stopped (the stream then says
 * so) instead of slowing the panel.
 */
function budgeted(test: (text: string) => boolean, options: CompileFilterOptions): LineFilter {
  const clock = options.clock ?? (() => performance.now());
  const stream = new FilterBudget(options);
  const panel = options.panelBudget !== undefined ? options.panelBudget : options.clock ? null : panelFilterBudget;
  /** The budget that ran out, if one did: both are charged either way. */
  const spend = (ms: number, now: number): FilterBudget | undefined => {
    const isStreamLeft = stream.spend(ms, now);
    const isPanelLeft = panel ? panel.spend(ms, now) : true;
    return !isStreamLeft ? stream : !isPanelLeft ? (panel ?? undefined) : undefined;
  };
  let linesChecked = 0;
  return {
    matchBatch(texts) {
      const out: boolean[] = [];
      let startedAt = clock();
      // Nothing is matched while a budget is already spent (the panel's, by other streams).
      let spent = spend(0, startedAt);
      for (const text of texts) {
        if (spent) break;
        out.push(test(text));
        linesChecked++;
        const now = clock();
        spent = spend(now - startedAt, now);
        startedAt = now;
      }
      if (spent) throw new FilterBudgetError(linesChecked, out, spent, spent === panel);
      return out;
    },
  };
}

/** The items whose text matches; `stopped` when the budget ran out part-way (the matches before it are kept). */
export interface Selection<T> {
  kept: T[];
  stopped?: FilterBudgetError;
}

export function selectMatching<T>(filter: LineFilter, items: readonly T[], textOf: (item: T) => string): Selection<T> {
  if (!items.length) return { kept: [] };
  try {
    const matches = filter.matchBatch(items.map(textOf));
    return { kept: items.filter((_, i) => matches[i]) };
  } catch (err) {
    if (!(err instanceof FilterBudgetError)) throw err;
    return { kept: items.filter((_, i) => err.matches[i]), stopped: err };
  }
}

function badPattern(message: string): AppError {
  return new AppError("BAD_REQUEST", message, { data: { field: "q" } });
}
