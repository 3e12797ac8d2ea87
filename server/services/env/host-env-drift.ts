import { diffEnv, parseEnvText, type EnvChange, type EnvEntry } from "./env-format";

/**
 * What an app host's /srv/pixelfox/.env holds compared with what the panel wrote there.
 * - absent: no file; writing it changes nothing anyone made.
 * - current: the file holds the newest version.
 * - behind: the panel wrote an older version and nobody touched it since; the next deploy writes the newest.
 * - edited: the file differs from what the panel wrote (an edit by hand), or the panel never wrote it
 *   (the plan's template, a file made before the stack was managed): overwriting it would lose that.
 */
export type HostEnvState =
  | { state: "absent" }
  | { state: "current"; version: number }
  | { state: "behind"; version: number; changes: EnvChange[] }
  | { state: "edited"; version: number | null; changes: EnvChange[]; problems: string[] };

const HEADER = /^# Written by PixelFox Ops: app environment version (\d+),/m;

/** The version the panel's header names, or null for a file the panel did not write. */
export function headerVersion(text: string): number | null {
  const m = HEADER.exec(text);
  return m ? Number(m[1]) : null;
}

// APP_PORT is the deploy's, set per container (blue/green), never part of a saved version: a file that
// carries it (the plan's template does) is not edited for that.
const comparable = (entries: EnvEntry[]) => entries.filter(([k]) => k !== "APP_PORT");
const sameEntries = (a: EnvEntry[], b: EnvEntry[]) => diffEnv(comparable(a), comparable(b)).length === 0;

/**
 * Judges the host's file. `written(n)` gives the entries of version n (null when that version is gone).
 * A file without the panel's header (the plan's template, a file made before the stack was managed)
 * that holds one of the `headerless` candidate versions is that version, not an edit.
 * `changes` of an edited file go from what the panel wrote (or, without the panel's header, from the
 * newest version) to what the file holds: what a write would undo. Secret values never appear in them.
 */
export function judgeHostEnvFile(
  text: string | null,
  newest: { version: number; entries: EnvEntry[] },
  written: (version: number) => EnvEntry[] | null,
  headerless: number[] = [],
): HostEnvState {
  if (text === null) return { state: "absent" };
  const parsed = parseEnvText(text);
  const problems = parsed.problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message));
  const header = headerVersion(text);
  // A file that already holds the newest entries loses nothing when written again, whoever made it.
  if (!problems.length && sameEntries(newest.entries, parsed.entries)) return { state: "current", version: newest.version };
  const candidates = header === null ? headerless : [header];
  const version = problems.length
    ? undefined
    : candidates.find((v) => {
        const entries = v === newest.version ? newest.entries : written(v);
        return entries !== null && sameEntries(entries, parsed.entries);
      });
  if (version !== undefined) return { state: "behind", version, changes: diffEnv(comparable(parsed.entries), newest.entries) };
  const baseline = header === null ? null : header === newest.version ? newest.entries : written(header);
  return {
    state: "edited",
    version: header,
    changes: diffEnv(comparable(baseline ?? newest.entries), comparable(parsed.entries)),
    problems,
  };
}

/** One line per change, for a job log or an error: "DB_HOST changed (10.0.0.2 → 10.0.0.9)", "PASSWORD changed". */
export function describeChanges(changes: EnvChange[], limit = 8): string {
  const shown = changes.slice(0, limit).map((c) => {
    if (c.change === "changed") return c.from !== null && c.to !== null ? `${c.key} changed (${c.from} → ${c.to})` : `${c.key} changed`;
    return `${c.key} ${c.change}`;
  });
  return shown.join(", ") + (changes.length > limit ? ` and ${changes.length - limit} more` : "");
}

/**
 * judgeHostEnvFile for the newest version as a deploy carries it (KEY=VALUE strings), looking up the
 * one older version the file's header names (or, without a header, the recent ones).
 */
export async function judgeHostEnvText(
  text: string | null,
  newest: { version: number; entries: string[] },
  versionEntries: (version: number) => Promise<EnvEntry[] | null>,
): Promise<HostEnvState> {
  const header = text === null ? null : headerVersion(text);
  // Headerless: the recent versions are candidates (the import from the running app is usually one).
  const candidates =
    text === null
      ? []
      : header !== null
        ? [header]
        : Array.from({ length: Math.min(HEADERLESS_LOOKBACK, newest.version - 1) }, (_, i) => newest.version - 1 - i);
  const known = new Map<number, EnvEntry[] | null>();
  for (const v of candidates) if (v !== newest.version) known.set(v, await versionEntries(v));
  const entries = newest.entries.map((line): EnvEntry => {
    const eq = line.indexOf("=");
    return [line.slice(0, eq), line.slice(eq + 1)];
  });
  return judgeHostEnvFile(text, { version: newest.version, entries }, (v) => known.get(v) ?? null, header === null ? candidates : []);
}

/** How many earlier versions a file without the panel's header is compared with. */
const HEADERLESS_LOOKBACK = 20;
