import { findErrorMessage, makeEvidence, unreadableOutput, type Known, type ParsedOutput } from "./types";

/** `without-password` is the old name of `prohibit-password`; OpenSSH 9.2's `sshd -T` still prints it. */
export type RootLogin = "yes" | "no" | "prohibit-password" | "without-password" | "forced-commands-only";

/** The sshd settings that decide who can log in and how. */
export interface SshdSettings extends ParsedOutput {
  source: "sshd -T" | "config files";
  passwordAuthentication: Known<boolean>;
  /** KbdInteractiveAuthentication, or ChallengeResponseAuthentication on OpenSSH before 8.7 (an alias since). */
  kbdInteractiveAuthentication: Known<boolean>;
  pubkeyAuthentication: Known<boolean>;
  permitRootLogin: Known<RootLogin>;
  permitEmptyPasswords: Known<boolean>;
  usePam: Known<boolean>;
  authenticationMethods: Known<string>;
  ports: Known<number[]>;
  listenAddresses: Known<string[]>;
  allowUsers: Known<string[]>;
  allowGroups: Known<string[]>;
  denyUsers: Known<string[]>;
  denyGroups: Known<string[]>;
  /** Match lines seen in config files: their settings do not change the global values above. */
  matchBlocks: string[];
  /** Include lines seen in config files, with what they pulled in. */
  includes: string[];
}

/** Lower-case keywords → values in the order sshd would apply them (first one wins, lists accumulate). */
export type SshdValues = Map<string, string[]>;

/** The keywords the audit reports (lower case, as `sshd -T` prints them). */
export const REPORTED_KEYS = [
  "port",
  "listenaddress",
  "passwordauthentication",
  "kbdinteractiveauthentication",
  "challengeresponseauthentication",
  "pubkeyauthentication",
  "permitrootlogin",
  "permitemptypasswords",
  "usepam",
  "authenticationmethods",
  "allowusers",
  "allowgroups",
  "denyusers",
  "denygroups",
] as const;

const ROOT_LOGIN = new Set<string>(["yes", "no", "prohibit-password", "without-password", "forced-commands-only"]);
/** sshd -T stops on these; what it printed before is not a configuration. */
const FATAL =
  /no hostkeys available|terminating|Bad configuration option|cannot be satisfied|Unable to load host key|Missing privilege separation/i;

/** Reads `sshd -T` (effective settings, lower-case `key value` lines); failures and cut-off output give unknown. */
export function parseSshdT(text: string): SshdSettings {
  const fatal = text.split("\n").find((l) => FATAL.test(l)) ?? findErrorMessage(text);
  if (!text.trim() || fatal) return unknownSshd("sshd -T", fatal ? `sshd -T failed: ${fatal.trim()}` : "sshd -T printed nothing", text);
  const values: SshdValues = new Map();
  for (const line of text.split("\n")) {
    const m = /^([a-z0-9]+) (.*)$/.exec(line.trim());
    if (!m?.[1] || m[2] === undefined) continue;
    values.set(m[1], [...(values.get(m[1]) ?? []), m[2]]);
  }
  if (!values.has("port")) return unknownSshd("sshd -T", "sshd -T output has no 'port' line: not sshd's output, or cut short", text);
  const evidence = REPORTED_KEYS.flatMap((k) => (values.get(k) ?? []).map((v) => `${k} ${v}`));
  return buildSshdSettings(values, { source: "sshd -T", evidence: makeEvidence(evidence), matchBlocks: [], includes: [] });
}

/** Turns keyword values into typed settings; a keyword that is missing or unreadable stays unknown. */
export function buildSshdSettings(
  values: SshdValues,
  extra: Pick<SshdSettings, "source" | "evidence" | "matchBlocks" | "includes">,
): SshdSettings {
  const first = (k: string) => values.get(k)?.[0];
  // sshd -T prints the user/group lists just before `authenticationmethods`: past that line, a missing list is empty.
  const listsComplete = extra.source === "config files" || values.has("authenticationmethods");
  const list = (k: string): Known<string[]> => {
    const v = values.get(k);
    if (!v) return listsComplete ? [] : "unknown";
    return v.flatMap((x) => x.split(/\s+/)).filter((x) => x && x !== "none");
  };
  const rootLogin = first("permitrootlogin");
  const ports = (values.get("port") ?? []).map(Number);
  return {
    ...extra,
    readable: true,
    problem: null,
    passwordAuthentication: yesNo(first("passwordauthentication")),
    kbdInteractiveAuthentication: yesNo(first("kbdinteractiveauthentication") ?? first("challengeresponseauthentication")),
    pubkeyAuthentication: yesNo(first("pubkeyauthentication")),
    permitRootLogin: rootLogin && ROOT_LOGIN.has(rootLogin) ? (rootLogin as RootLogin) : "unknown",
    permitEmptyPasswords: yesNo(first("permitemptypasswords")),
    usePam: yesNo(first("usepam")),
    authenticationMethods: first("authenticationmethods") ?? "unknown",
    ports: ports.length && ports.every((p) => Number.isInteger(p) && p > 0 && p < 65536) ? ports : "unknown",
    listenAddresses: values.has("listenaddress") ? list("listenaddress") : "unknown",
    allowUsers: list("allowusers"),
    allowGroups: list("allowgroups"),
    denyUsers: list("denyusers"),
    denyGroups: list("denygroups"),
  };
}

/** Settings where nothing could be read. */
export function unknownSshd(source: SshdSettings["source"], problem: string, text: string): SshdSettings {
  return {
    ...unreadableOutput(problem, text),
    source,
    passwordAuthentication: "unknown",
    kbdInteractiveAuthentication: "unknown",
    pubkeyAuthentication: "unknown",
    permitRootLogin: "unknown",
    permitEmptyPasswords: "unknown",
    usePam: "unknown",
    authenticationMethods: "unknown",
    ports: "unknown",
    listenAddresses: "unknown",
    allowUsers: "unknown",
    allowGroups: "unknown",
    denyUsers: "unknown",
    denyGroups: "unknown",
    matchBlocks: [],
    includes: [],
  };
}

function yesNo(value: string | undefined): Known<boolean> {
  const v = value?.toLowerCase();
  return v === "yes" ? true : v === "no" ? false : "unknown";
}
