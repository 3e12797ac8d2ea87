import { isSecretKey } from "@/server/services/env/env-format";

/** Key names `isSecretKey` does not catch but PixelFox and common images use for secrets. */
// (PASSWD, PASSPHRASE, CREDENTIALS are caught by isSecretKey already; AUTH or COOKIE alone would catch AUTH_URL or COOKIE_DOMAIN.)
const MORE_SECRET_KEYS = /(^|_)(PW|PWD|BASIC_AUTH|HTTP_AUTH|WEBHOOK|WEBHOOK_URL)(_|$)/i;
/** Values this short, or plainly not secret (numbers, flags), would shred the text if replaced everywhere. */
const MIN_SECRET_VALUE = 6;
const NOT_SECRET = /^(\d+|true|false|yes|no|on|off|null|none|disabled|enabled|\d{1,3}(\.\d{1,3}){3})$/i;
/** A value that looks random: long, token characters only, letters and digits mixed. */
const MIN_RANDOM_LENGTH = 20;
const TOKEN_CHARS = /^[A-Za-z0-9+/=_-]+$/;
const MIN_ENTROPY_BITS = 3.5;

export const isSecretEnvKey = (key: string) => isSecretKey(key) || MORE_SECRET_KEYS.test(key);

/** Shannon entropy of the text in bits per character. */
export function entropyBits(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** True for a value that looks generated (a token, a key, a random password) whatever its key is called. */
export function looksRandom(value: string): boolean {
  return (
    value.length >= MIN_RANDOM_LENGTH &&
    TOKEN_CHARS.test(value) &&
    /[A-Za-z]/.test(value) &&
    /\d/.test(value) &&
    entropyBits(value) >= MIN_ENTROPY_BITS
  );
}

/** The password inside `scheme://user:password@host` (e.g. a REDIS_URL or a DSN), when there is one. */
export function urlPasswordOf(value: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return null;
  try {
    const password = new URL(value).password;
    return password ? decodeURIComponent(password) : null;
  } catch {
    return null;
  }
}

/**
 * The values of an app environment that redaction must replace wherever they appear: every value of a
 * secret-looking key (at least 6 characters and not a number or a flag), every random-looking value of
 * any key, and the password inside a URL. Decision: a plain word under an innocent key (APP_NAME) is not
 * a secret; a DB_PASSWORD of 6+ characters always is.
 */
export function secretValuesOfEnv(entries: Iterable<readonly [string, string]>): string[] {
  const out: string[] = [];
  for (const [key, value] of entries) {
    const isCandidate = value.length >= MIN_SECRET_VALUE && !NOT_SECRET.test(value);
    if (isCandidate && (isSecretEnvKey(key) || looksRandom(value))) out.push(value);
    const inUrl = urlPasswordOf(value);
    if (inUrl) out.push(inUrl);
  }
  return out;
}

/** `KEY=value` strings (Docker's Config.Env) as entries. */
export function envListEntries(env: readonly string[]): [string, string][] {
  return env.flatMap((e): [string, string][] => {
    const i = e.indexOf("=");
    return i > 0 ? [[e.slice(0, i), e.slice(i + 1)]] : [];
  });
}
