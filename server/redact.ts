/**
 * Redaction for any text that is shown to a user or written to a log: command lines, remote
 * stderr, error messages. Secrets we know (passwords, tokens) are replaced literally; secrets we
 * only recognise by shape (private key blocks, `password=...` assignments) are replaced by pattern.
 */

export const REDACTED = "[REDACTED]";

/** Secrets shorter than this are not replaced literally: "a" or "1" would shred the text. */
const MIN_SECRET_LENGTH = 4;

const PRIVATE_KEY_BLOCK = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;

// Security: `NAME=value`, `NAME: value`, `--name=value` and `--name value` where NAME mentions a
// secret-ish word (a colon needs a space after it, so labels like `token:ci-deploy` stay readable). The value runs to the next whitespace, or to the closing quote when quoted.
const SECRET_NAME = String.raw`[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)[A-Za-z0-9_.-]*`;
const SECRET_ASSIGNMENT = new RegExp(String.raw`(\b${SECRET_NAME}\s*(?:=\s*|:\s+))("[^"\n]*"|'[^'\n]*'|[^\s"',;&]+)`, "gi");
const SECRET_FLAG = new RegExp(String.raw`(--${SECRET_NAME}\s+)("[^"\n]*"|'[^'\n]*'|[^\s"'-][^\s"']*)`, "gi");
// mysql's `-pSECRET` short form (no space): only when it follows a mysql-ish client word.
const MYSQL_SHORT_PASSWORD = /(\b(?:mysql|mariadb|mysqldump|mariadb-dump|mysqladmin)\b[^\n]*?\s-p)(\S+)/g;
// Credentials embedded in URLs: scheme://user:password@host
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi;

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
  return text
    .replace(PRIVATE_KEY_BLOCK, `-----BEGIN $1PRIVATE KEY----- ${REDACTED} -----END $1PRIVATE KEY-----`)
    .replace(SECRET_ASSIGNMENT, (_m, name: string, value: string) => `${name}${keepQuotes(value)}`)
    .replace(SECRET_FLAG, (_m, flag: string, value: string) => `${flag}${keepQuotes(value)}`)
    .replace(MYSQL_SHORT_PASSWORD, `$1${REDACTED}`)
    .replace(URL_CREDENTIALS, `$1${REDACTED}$3`);
}

function keepQuotes(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    return `${quote}${REDACTED}${quote}`;
  }
  return REDACTED;
}
