/**
 * How one value is written to a .env so that every reader an operator may point at the host's file
 * reads back exactly that value and runs nothing: a POSIX shell or bash sourcing it (`set -a; . .env`),
 * docker compose v2 (compose-go's dotenv parser, `--env-file` and `env_file:`), docker-compose 1.x
 * (python-dotenv), and the app itself (godotenv). Their rules, as read in each parser's source and
 * checked by env-quoting.test.ts against the real sh, bash, docker-compose 1.29 and godotenv:
 *
 * - unquoted: sh expands `$`, backticks, `~`, and splits on blanks and `;|&<>()`; the dotenv readers
 *   expand `$` and cut a ` #` comment. Only PLAIN values are safe bare.
 * - single quotes: literal in sh (a `'` cannot occur inside), literal in godotenv and compose-go except
 *   that `\'` escapes the quote (so the value cannot end with `\`), and python-dotenv also turns `\\`
 *   into `\` and substitutes `${NAME}` even there.
 * - double quotes: every reader expands `$` and backslash escapes, each differently (compose-go keeps
 *   the `\` of a `` \` ``, which sh needs): only safe for values with none of `$ ` \ "`.
 *
 * So: bare when PLAIN, else in single quotes, else (a value with a `'`) in double quotes when it has
 * none of those four; what fits none of these is refused (hostFileProblem) rather than misread.
 */

/** Letters, digits and the punctuation that no reader treats specially outside quotes. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]*$/;
/** What double quotes do not keep literal in every reader. */
const DOUBLE_QUOTE_SPECIAL = /[$`\\"]/;
/** C0 controls (but tab) and DEL: escape sequences would drive the terminal of whoever runs `cat .env`. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
/**
 * Security: variables the shell itself acts on once a sourced file sets them (code run at the next
 * prompt or by the next shell started, another search path, other word splitting, the history file),
 * so a .env that sets one is not inert however its values are quoted. The app has no use for them.
 */
const SHELL_VARIABLE = /^(ENV|BASH_.*|PROMPT_COMMAND|PS[0-4]|IFS|PATH|CDPATH|SHELLOPTS|BASHOPTS|GLOBIGNORE|HISTFILE|LD_.*)$/;

/** The value as it is written after `KEY=` (always read back exactly by parseEnvText). */
export function quoteEnvValue(value: string): string {
  if (PLAIN.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (!DOUBLE_QUOTE_SPECIAL.test(value)) return `"${value}"`;
  // Refused by hostFileProblem; still written so that the panel's own text view round-trips.
  return `'${value}'`;
}

const shown = (ch: string) => (CONTROL.test(ch) ? `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : ch);

/**
 * Why `KEY=value` cannot be written to the host's .env so that every reader gets the same value, or
 * null when it can. The message names the key and the character, never the value (it may be a secret).
 */
export function hostFileProblem(key: string, value: string): string | null {
  if (SHELL_VARIABLE.test(key))
    return `${key} is a variable the shell itself acts on when the host's .env is sourced (set -a; . .env): use another name`;
  const control = CONTROL.exec(value);
  if (control) return `${key}: control characters are not allowed (found ${shown(control[0])})`;
  const special = value.includes("'") ? DOUBLE_QUOTE_SPECIAL.exec(value) : null;
  if (special)
    return `${key}: a value cannot hold both ' and ${special[0]}: no quoting of the host's .env reads it back the same in a shell, docker compose and the app; change one of them`;
  // What follows matters in single quotes only (the double-quoted case has no \ and no $).
  if (value.endsWith("\\"))
    return `${key}: the value cannot end with \\ (docker compose and the app would take the closing quote as escaped)`;
  if (value.includes("\\\\")) return `${key}: \\\\ (two backslashes) would be read as one \\ by docker-compose 1.x`;
  if (/\$\{[^}]*\}/.test(value)) return `${key}: \${…} would be replaced by docker-compose 1.x even inside quotes; change the value`;
  return null;
}
