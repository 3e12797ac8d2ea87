import { buildSshdSettings, REPORTED_KEYS, unknownSshd, type SshdSettings, type SshdValues } from "./parse-sshd-config";
import { findErrorMessage, makeEvidence } from "./types";

/** One config file as read from the host. */
export interface SshdConfigFile {
  path: string;
  text: string;
}

/** OpenSSH 9.x compiled-in defaults for the keywords the audit reports (Debian's shipped file then overrides some). */
const OPENSSH_DEFAULTS: Readonly<Record<string, string[]>> = {
  port: ["22"],
  listenaddress: ["0.0.0.0", "[::]"],
  passwordauthentication: ["yes"],
  kbdinteractiveauthentication: ["yes"],
  pubkeyauthentication: ["yes"],
  permitrootlogin: ["prohibit-password"],
  permitemptypasswords: ["no"],
  usepam: ["no"],
  authenticationmethods: ["any"],
};
/** Keywords sshd accumulates over several lines; every other keyword keeps its first value. */
const ACCUMULATE = new Set(["port", "listenaddress", "allowusers", "allowgroups", "denyusers", "denygroups"]);
const ALIASES: Readonly<Record<string, string>> = { challengeresponseauthentication: "kbdinteractiveauthentication" };
/** A line has to use one of these for the text to count as an sshd config. */
const KNOWN = new Set([
  ...REPORTED_KEYS,
  "include",
  "match",
  "subsystem",
  "x11forwarding",
  "printmotd",
  "acceptenv",
  "hostkey",
  "usedns",
  "maxauthtries",
  "logingracetime",
  "clientaliveinterval",
  "allowtcpforwarding",
  "loglevel",
  "syslogfacility",
]);
const MAX_INCLUDE_DEPTH = 16;

interface WalkState {
  values: SshdValues;
  evidence: string[];
  matchBlocks: string[];
  includes: string[];
  included: Set<string>;
}

/**
 * Fallback when `sshd -T` cannot run (it needs root to read the host keys): reads sshd_config and the drop-ins it
 * includes as sshd does — first value wins, `Include` is expanded in place, a `Match` block lasts to the end of its
 * file and does not change the global values — then applies OpenSSH's defaults and says so in the evidence.
 */
export function parseSshdConfigFiles(main: SshdConfigFile, dropIns: readonly SshdConfigFile[] = []): SshdSettings {
  for (const file of [main, ...dropIns]) {
    const error = findErrorMessage(file.text);
    if (error) return unknownSshd("config files", `Could not read ${file.path}: ${error}`, file.text);
  }
  if (!main.text.split("\n").some((l) => KNOWN.has(keywordOf(l)?.key ?? ""))) {
    return unknownSshd("config files", `${main.path} does not look like an sshd config (empty or unreadable)`, main.text);
  }
  const state: WalkState = { values: new Map(), evidence: [], matchBlocks: [], includes: [], included: new Set() };
  walkFile(main, dropIns, state, 0);
  for (const file of dropIns)
    if (!state.included.has(file.path)) state.evidence.push(`${file.path}: not included by any Include line (ignored)`);
  for (const [key, value] of Object.entries(OPENSSH_DEFAULTS)) {
    if (state.values.has(key)) continue;
    state.values.set(key, value);
    state.evidence.push(`default: ${key} ${value.join(" ")} (OpenSSH default; not set in any file)`);
  }
  const evidence = makeEvidence([
    ...state.evidence,
    ...state.matchBlocks.map((m) => `${m} (Match block: not applied to the global values)`),
  ]);
  return buildSshdSettings(state.values, { source: "config files", evidence, matchBlocks: state.matchBlocks, includes: state.includes });
}

function walkFile(file: SshdConfigFile, dropIns: readonly SshdConfigFile[], state: WalkState, depth: number): void {
  let match: string | null = null;
  file.text.split("\n").forEach((line, i) => {
    const kw = keywordOf(line);
    if (!kw) return;
    const where = `${file.path}:${i + 1}`;
    if (kw.key === "match") {
      match = line.trim();
      state.matchBlocks.push(`${where}: ${match}`);
    } else if (match) {
      return;
    } else if (kw.key === "include") {
      if (depth >= MAX_INCLUDE_DEPTH) return;
      for (const pattern of kw.value.split(/\s+/)) {
        const found = dropIns.filter((f) => globMatches(pattern, f.path)).sort((a, b) => a.path.localeCompare(b.path));
        state.includes.push(`Include ${pattern} → ${found.length ? found.map((f) => f.path).join(", ") : "no file given"}`);
        for (const f of found) {
          state.included.add(f.path);
          walkFile(f, dropIns, state, depth + 1);
        }
      }
    } else if (REPORTED_KEYS.includes(kw.key as (typeof REPORTED_KEYS)[number]) || ALIASES[kw.key]) {
      const key = ALIASES[kw.key] ?? kw.key;
      if (state.values.has(key) && !ACCUMULATE.has(key)) return;
      state.values.set(key, [...(state.values.get(key) ?? []), kw.value]);
      state.evidence.push(`${where}: ${line.trim()}`);
    }
  });
}

/** `Keyword value`, `Keyword=value` or `Keyword "value"`; null for blank lines and comments. */
function keywordOf(line: string): { key: string; value: string } | null {
  const m = /^\s*([A-Za-z][A-Za-z0-9]*)(?:\s*=\s*|\s+)(.*?)\s*$/.exec(line);
  if (!m?.[1] || line.trim().startsWith("#")) return null;
  return { key: m[1].toLowerCase(), value: (m[2] ?? "").replace(/^"(.*)"$/, "$1") };
}

/** sshd resolves relative Include paths against /etc/ssh; `*` and `?` never cross a slash. */
function globMatches(pattern: string, path: string): boolean {
  const absolute = pattern.startsWith("/") ? pattern : `/etc/ssh/${pattern}`;
  const re = absolute
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, "[^/]*")
    .replace(/\?/g, "[^/]");
  return new RegExp(`^${re}$`).test(path);
}
