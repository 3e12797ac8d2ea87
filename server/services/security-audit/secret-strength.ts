import { zxcvbn, zxcvbnOptions } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

/** The values the plan's and the templates' files ship with: everyone who read them knows these. */
export const PLACEHOLDERS = [
  "change_this_secret",
  "change_this_replication_secret",
  "strong_db_password",
  "pixelfox",
  "pixelfox_db",
  "changeme",
  "change_me",
  "secret",
  "password",
  "replace_me",
  "replaceme",
] as const;

/** Also any `change_this…`, `change-me`, `replace_me…`, `your_…`, `<…>`, `...`, `xxx`, `todo`: text that waits for a real value. */
const PLACEHOLDER_SHAPE = /change[-_ ]?(this|me)|replace[-_ ]?(this|me)|^your[-_ ]|^<.*>$|^\.{3,}$|^x{3,}$|^(todo|tbd|none|null|example)$/i;

export function isPlaceholder(value: string): boolean {
  const v = value.trim().toLowerCase();
  return (PLACEHOLDERS as readonly string[]).includes(v) || PLACEHOLDER_SHAPE.test(v);
}

/**
 * zxcvbn is slow on long input (its matchers grow faster than linearly with length): it sees at most
 * this many characters. A value longer than this is judged by its start, which understates a strong
 * one and still catches a repeated or worded one.
 */
export const STRENGTH_INPUT_CAP = 100;

let isConfigured = false;

/** Once, on first use: the dictionaries are large, and a page that never judges a secret need not load them. */
function configure(): void {
  if (isConfigured) return;
  zxcvbnOptions.setOptions({
    dictionary: { ...common.dictionary, ...en.dictionary, pixelfoxPlaceholders: [...PLACEHOLDERS] },
    graphs: common.adjacencyGraphs,
    // The default (100) makes one 64-character hex string take about a second; 4 still finds "s3cr3t".
    l33tMaxSubstitutions: 4,
  });
  isConfigured = true;
}

/**
 * How many bits an attacker who knows common passwords, words, keyboard walks, sequences and repeats
 * would need to guess `value`, as zxcvbn estimates it (log2 of its guesses) from its first
 * STRENGTH_INPUT_CAP characters. `related` are words that make it weaker when it contains them
 * (the stack's domain, its name).
 */
export function estimateSecretBits(value: string, related: string[] = []): number {
  configure();
  const result = zxcvbn(value.slice(0, STRENGTH_INPUT_CAP), related);
  return Math.round(result.guessesLog10 * Math.log2(10));
}
