import { hostFileProblem, quoteEnvValue } from "./env-quoting";

/** One KEY=VALUE of an app environment, in file order. */
export type EnvEntry = [key: string, value: string];

export interface EnvProblem {
  line: number;
  message: string;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const MAX_ENV_BYTES = 64 * 1024;
/** Values of keys like these are secrets: masked in views and diffs unless an admin reveals them. */
const SECRET_KEY = /(PASS|SECRET|TOKEN|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_?KEY|DSN|SALT|_KEY$)/i;

export const isSecretKey = (key: string) => SECRET_KEY.test(key);

/**
 * Parses a .env as docker compose's `env_file` reads it: `KEY=VALUE` lines, `#` comments and blank
 * lines ignored, an optional `export `, values optionally in single or double quotes (kept literally
 * inside, no interpolation). Every problem names its line; a key given twice is one. A value that
 * the host's .env could not carry so that every reader gets it back (see env-quoting.ts) is a problem
 * too, but stays in `entries`: a version saved before that rule still deploys as it was saved.
 */
export function parseEnvText(text: string): { entries: EnvEntry[]; problems: EnvProblem[] } {
  const entries: EnvEntry[] = [];
  const problems: EnvProblem[] = [];
  const seen = new Map<string, number>();
  if (Buffer.byteLength(text) > MAX_ENV_BYTES)
    return { entries, problems: [{ line: 0, message: `The environment is larger than ${MAX_ENV_BYTES / 1024} KB` }] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith("#")) return;
    const body = trimmed.replace(/^export\s+/, "");
    const eq = body.indexOf("=");
    if (eq <= 0) return problems.push({ line, message: "Expected KEY=VALUE" });
    const key = body.slice(0, eq).trim();
    if (!KEY.test(key))
      return problems.push({
        line,
        message: `"${key.slice(0, 40)}" is not a valid name (letters, digits and _, not starting with a digit)`,
      });
    let value = body.slice(eq + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) value = value.slice(1, -1);
    else if (quote === '"' || quote === "'") return problems.push({ line, message: `${key}: the opening ${quote} is never closed` });
    if (/[\0\n]/.test(value)) return problems.push({ line, message: `${key}: control characters are not allowed` });
    const first = seen.get(key);
    if (first !== undefined) return problems.push({ line, message: `${key} is already set on line ${first}` });
    seen.set(key, line);
    entries.push([key, value]);
    const unwritable = hostFileProblem(key, value);
    if (unwritable) problems.push({ line, message: unwritable });
  });
  return { entries, problems };
}

/**
 * Back to text, one KEY=VALUE per line, each value bare or quoted as quoteEnvValue says: parseEnvText
 * reads it back exactly, and so do a shell, docker compose and the app when hostFileProblem finds nothing.
 */
export function formatEnv(entries: EnvEntry[]): string {
  return entries.map(([k, v]) => `${k}=${quoteEnvValue(v)}`).join("\n") + (entries.length ? "\n" : "");
}

/** The entries with secret values replaced by a mask that says how long they are, not what. */
export function maskEntries(entries: EnvEntry[]): EnvEntry[] {
  return entries.map(([k, v]) => [k, isSecretKey(k) && v ? `•••••• (${v.length} characters)` : v]);
}

export interface EnvChange {
  key: string;
  change: "added" | "removed" | "changed";
  /** Old and new values; null for secrets (only the fact of a change is shown). */
  from: string | null;
  to: string | null;
}

/** What changed from `a` to `b`, key by key, in `b`'s order then the removed ones. */
export function diffEnv(a: EnvEntry[], b: EnvEntry[]): EnvChange[] {
  const before = new Map(a);
  const after = new Map(b);
  const show = (k: string, v: string | undefined) => (v === undefined || isSecretKey(k) ? null : v);
  const out: EnvChange[] = [];
  for (const [k, v] of b) {
    if (!before.has(k)) out.push({ key: k, change: "added", from: null, to: show(k, v) });
    else if (before.get(k) !== v) out.push({ key: k, change: "changed", from: show(k, before.get(k)), to: show(k, v) });
  }
  for (const [k, v] of a) if (!after.has(k)) out.push({ key: k, change: "removed", from: show(k, v), to: null });
  return out;
}
