import { ANY_MATCH, type FilterRule } from "./filter-walk";
import { parsePortRange, type PortRange } from "./types";

/** An `-A CHAIN …` line of iptables-save with what the audit reads from it. */
export interface IptablesRule extends FilterRule {
  chain: string;
  /** `-j DNAT --to-destination 172.18.0.2:3306`. */
  dnatTo: string | null;
  /** `-d 127.0.0.1/32` without the host-prefix suffix. */
  daddr: string | null;
}

const TOKEN = /"(?:[^"\\]|\\.)*"|\S+/g;
const BUILT_IN_TARGETS: Readonly<Record<string, FilterRule["verdict"]>> = {
  ACCEPT: "accept",
  DROP: "drop",
  REJECT: "reject",
  RETURN: "return",
};
/** Matches and options that change nothing for a new inbound TCP connection. */
const NEUTRAL = new Set([
  "-m tcp",
  "-m udp",
  "-m comment",
  "-m multiport",
  "-m conntrack",
  "-m state",
  "--comment",
  "--log-prefix",
  "--log-level",
  "--reject-with",
  "--to-destination",
]);

/** Reads one `-A CHAIN …` line; a target that is neither a verdict nor an extension (LOG, DNAT…) is a jump to a chain. */
export function parseIptablesRule(line: string): IptablesRule | null {
  const t = line.trim().match(TOKEN) ?? [];
  if (t[0] !== "-A" || !t[1]) return null;
  const rule: IptablesRule = {
    chain: t[1],
    match: { ...ANY_MATCH, other: [] },
    verdict: null,
    raw: line.trim(),
    dnatTo: null,
    daddr: null,
  };
  for (let i = 2; i < t.length; i++) {
    const neg = t[i] === "!";
    if (neg) i++;
    const opt = t[i] ?? "";
    const takesValue = i + 1 < t.length && !(t[i + 1] ?? "").startsWith("-");
    const value = takesValue ? unquote(t[i + 1] ?? "") : "";
    readOption(rule, opt, value, neg);
    if (takesValue) i++;
  }
  return rule;
}

function readOption(rule: IptablesRule, opt: string, value: string, neg: boolean): void {
  const m = rule.match;
  const negated = () => m.other.push(`! ${opt} ${value}`);
  if (NEUTRAL.has(opt) || NEUTRAL.has(`${opt} ${value}`)) {
    if (opt === "--to-destination") rule.dnatTo = value;
  } else if (opt === "-p") {
    if (neg) negated();
    else m.proto = value;
  } else if (opt === "-s") {
    if (neg) negated();
    else m.sources = value.split(",");
  } else if (opt === "-d") {
    if (!neg) rule.daddr = value.replace(/\/(32|128)$/, "");
    m.other.push(`${neg ? "! " : ""}-d ${value}`);
  } else if (opt === "-i") {
    if (neg) negated();
    else m.iface = value;
  } else if (opt === "--dport" || opt === "--dports") {
    const ranges = value.split(",").map(parsePortRange);
    if (!neg && ranges.every((r): r is PortRange => r !== null)) m.dports = ranges;
    else m.other.push(`${neg ? "! " : ""}${opt} ${value}`);
  } else if (opt === "--ctstate" || opt === "--state") {
    const states = value.split(",");
    if (!neg && states.every((s) => s === "RELATED" || s === "ESTABLISHED")) m.establishedOnly = true;
    else if (neg || !states.includes("NEW")) m.other.push(`${opt} ${value}`);
  } else if (opt === "-j" || opt === "-g") {
    const builtIn = BUILT_IN_TARGETS[value];
    if (builtIn !== undefined) rule.verdict = builtIn;
    else if (!/^(LOG|DNAT|SNAT|MASQUERADE|MARK|CONNMARK|NFLOG|TCPMSS|CT|NOTRACK|REDIRECT)$/.test(value))
      rule.verdict = opt === "-j" ? { jump: value } : { goto: value };
  } else m.other.push(value ? `${opt} ${value}` : opt);
}

function unquote(s: string): string {
  return s.replace(/^"(.*)"$/, "$1");
}
