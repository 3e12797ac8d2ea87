/**
 * Redaction for any text that is shown to a user or written to a log: command lines, remote
 * stderr, error messages. Secrets we know (passwords, tokens) are replaced literally; secrets we
 * only recognise by shape (private key blocks, `password=...` assignments) are replaced by pattern.
 *
 * Security: every step runs in time linear in the text, so a hostile line of any length (remote
 * stderr, a job's output) cannot stall the panel. No regex here is retried from each position with a
 * scan to the end of the text: names are read as whole runs of name characters (one pass), and the
 * regexes that run at a given position only take characters the next step refuses, so they cannot
 * backtrack more than once over what they read.
 */

export const REDACTED = "[REDACTED]";

/** Secrets shorter than this are not replaced literally: "a" or "1" would shred the text. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replace every occurrence of each known secret in `text` with `[REDACTED]`, then strip
 * secrets recognisable by shape (see `redactPatterns`).
 */
export function redact(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let out = text;
  const literal = secrets
    .filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH)
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  for (const secret of literal) {
    out = out.split(secret).join(REDACTED);
  }
  return redactPatterns(out);
}

/**
 * Strip secrets recognisable by their shape: PEM/OpenSSH private key blocks, `password=...`,
 * `TOKEN: ...`, `--password ...`, `mysql -pSECRET`, and `scheme://user:secret@host`.
 */
export function redactPatterns(text: string): string {
  return redactUrlCredentials(redactMysqlShortPasswords(redactSecretFlags(redactSecretAssignments(redactPrivateKeys(text)))));
}

const BEGIN = "-----BEGIN ";
const KEY_NAME = "PRIVATE KEY";

/** `-----BEGIN <LABEL>PRIVATE KEY-----` … the matching END line (or the end of the text, when cut). */
function redactPrivateKeys(text: string): string {
  let out = "";
  let last = 0;
  for (let at = text.indexOf(BEGIN); at !== -1;) {
    let end = at + BEGIN.length;
    while (end < text.length && /[A-Z0-9 ]/.test(text[end] ?? "")) end++;
    const run = text.slice(at + BEGIN.length, end);
    if (!run.endsWith(KEY_NAME) || !text.startsWith("-----", end)) {
      at = text.indexOf(BEGIN, end);
      continue;
    }
    const label = run.slice(0, -KEY_NAME.length);
    const endLine = `-----END ${label}${KEY_NAME}-----`;
    const endAt = text.indexOf(endLine, end + 5);
    out += `${text.slice(last, at)}${BEGIN}${label}${KEY_NAME}----- ${REDACTED} ${endLine}`;
    last = endAt === -1 ? text.length : endAt + endLine.length;
    at = text.indexOf(BEGIN, last);
  }
  return out + text.slice(last);
}

// A name is a whole run of name characters; it is secret-ish when it contains one of the words.
const SECRET_WORDS = /password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key/gi;
// A colon needs a space after it, so labels like `token:ci-deploy` stay readable.
const ASSIGN = /\s*(?:=\s*|:\s+)/y;
// Quoted values run to the closing quote, or to the end of the line when it is missing (still redacted).
const ASSIGNED_VALUE = /"[^"\n]*"?|'[^'\n]*'?|[^\s"',;&]+/y;
const FLAG_GAP = /\s+/y;
const FLAG_VALUE = /"[^"\n]*"?|'[^'\n]*'?|[^\s"'-][^\s"']*/y;

/** [A-Za-z0-9_.-] */
function isNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 46 || code === 45
  );
}

/**
 * Replaces the value after each name (a whole run of name characters holding a secret word) for
 * which `isSecretName(text, start, end)` holds and `gap` then `value` match right after it. The scan
 * finds the words, widens each to its run and moves past the run (or the value): every character is
 * read a bounded number of times. Positions instead of match arrays keep allocation to the output.
 */
function redactAfterNames(
  text: string,
  isSecretName: (text: string, start: number, end: number) => boolean,
  gap: RegExp,
  value: RegExp,
): string {
  let out = "";
  let last = 0;
  SECRET_WORDS.lastIndex = 0;
  while (SECRET_WORDS.test(text)) {
    let start = SECRET_WORDS.lastIndex;
    while (start > last && isNameChar(text.charCodeAt(start - 1))) start--;
    let end = SECRET_WORDS.lastIndex;
    while (end < text.length && isNameChar(text.charCodeAt(end))) end++;
    SECRET_WORDS.lastIndex = end;
    if (!isSecretName(text, start, end)) continue;
    gap.lastIndex = end;
    if (!gap.test(text)) continue;
    const valueAt = gap.lastIndex;
    value.lastIndex = valueAt;
    if (!value.test(text)) continue;
    out += text.slice(last, valueAt) + redactedValue(text, valueAt, value.lastIndex);
    last = SECRET_WORDS.lastIndex = value.lastIndex;
  }
  return out + text.slice(last);
}

/** `NAME=value`, `NAME: value` where NAME mentions a secret-ish word (every run found holds one). */
function redactSecretAssignments(text: string): string {
  return redactAfterNames(text, () => true, ASSIGN, ASSIGNED_VALUE);
}

const SECRET_WORD = new RegExp(SECRET_WORDS.source, "i");

/** `--name value` (and `x--name value`): a secret-ish word comes after the run's first `--`. */
function isFlagName(text: string, start: number, end: number): boolean {
  // Only the run is read (a search of the whole text from each run would be quadratic).
  const run = text.slice(start, end);
  const dashes = run.indexOf("--");
  return dashes !== -1 && SECRET_WORD.test(run.slice(dashes + 2));
}

function redactSecretFlags(text: string): string {
  return redactAfterNames(text, isFlagName, FLAG_GAP, FLAG_VALUE);
}

const MYSQL_CLIENT = /\b(?:mysql|mariadb|mysqldump|mariadb-dump|mysqladmin)\b/g;
const SHORT_PASSWORD = /\s-p\S+/g;

/**
 * mysql's `-pSECRET` short form (no space): the first ` -p…` after a mysql-ish client word on its
 * line. Both searches only move forward (the next `-p` and the line end are reused while still ahead).
 */
function redactMysqlShortPasswords(text: string): string {
  let out = "";
  let last = 0;
  let dashP: RegExpExecArray | null | undefined;
  let lineEnd = -1;
  MYSQL_CLIENT.lastIndex = 0;
  for (let client = MYSQL_CLIENT.exec(text); client; client = MYSQL_CLIENT.exec(text)) {
    const from = client.index + client[0].length;
    if (dashP === undefined || (dashP && dashP.index < from)) {
      SHORT_PASSWORD.lastIndex = from;
      dashP = SHORT_PASSWORD.exec(text);
    }
    if (!dashP) break;
    if (lineEnd < from) lineEnd = endOfLine(text, from);
    if (dashP.index > lineEnd) {
      MYSQL_CLIENT.lastIndex = lineEnd + 1;
      continue;
    }
    const valueAt = dashP.index + " -p".length;
    out += text.slice(last, valueAt) + REDACTED;
    last = MYSQL_CLIENT.lastIndex = dashP.index + dashP[0].length;
    dashP = undefined;
  }
  return out + text.slice(last);
}

function endOfLine(text: string, from: number): number {
  const at = text.indexOf("\n", from);
  return at === -1 ? text.length : at;
}

// Credentials embedded in URLs: scheme://user:password@host. The match starts at `://` and looks
// back for the scheme, so each run of scheme characters is read once.
const URL_CREDENTIALS = /:\/\/(?<=\b[a-z][a-z0-9+.-]*:\/\/)([^\s:/@]+:)[^\s@/]+@/gi;

function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, `://$1${REDACTED}@`);
}

/** The replacement for the value text[from, to): a quoted value keeps its quotes. */
function redactedValue(text: string, from: number, to: number): string {
  const quote = text[from];
  if ((quote === '"' || quote === "'") && to - from >= 2 && text[to - 1] === quote) return `${quote}${REDACTED}${quote}`;
  return REDACTED;
}
