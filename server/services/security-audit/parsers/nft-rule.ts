import { ANY_MATCH, type FilterRule } from "./filter-walk";
import { parsePortRange, type PortRange } from "./types";

/** A rule of `nft list ruleset` with what the audit reads from it. */
export interface NftRule extends FilterRule {
  /** `ip daddr X` / `ip6 daddr X`: the host address a Docker DNAT rule is bound to. */
  daddr: string | null;
  /** `dnat to 172.18.0.2:3306`. */
  dnatTo: string | null;
}

/** Named sets of the rule's table (`set admins { elements = { … } }`), for `@admins`. */
export type NftSets = ReadonlyMap<string, string[]>;

const TOKEN = /"(?:[^"\\]|\\.)*"|\{[^}]*\}|\S+/g;
const LOG_OPTIONS = new Set(["prefix", "level", "flags", "group", "snaplen", "queue-threshold"]);

/** Reads one rule line into conditions and a verdict; anything it does not interpret becomes an "other" condition. */
export function parseNftRule(raw: string, sets: NftSets): NftRule {
  const tokens = raw.replace(/\s+# handle \d+\s*$/, "").match(TOKEN) ?? [];
  const shown = raw
    .trim()
    .replace(/ counter packets \d+ bytes \d+/g, " counter")
    .replace(/\s+# handle \d+$/, "");
  const rule: NftRule = { match: { ...ANY_MATCH, other: [] }, verdict: null, raw: shown, daddr: null, dnatTo: null };
  for (let i = 0; i < tokens.length; i++) i = readToken(rule, tokens, i, sets);
  return rule;
}

/** Reads the expression starting at token i; returns the index of its last token. */
function readToken(rule: NftRule, t: readonly string[], i: number, sets: NftSets): number {
  const m = rule.match;
  const a = t[i] ?? "";
  const b = t[i + 1] ?? "";
  const c = t[i + 2] ?? "";
  if (a === "accept" || a === "drop" || a === "return") rule.verdict = a;
  else if (a === "reject") {
    rule.verdict = "reject";
    if (b === "with") return i + (t[i + 3] === "type" ? 4 : 3);
  } else if (a === "jump" || a === "goto") {
    rule.verdict = a === "jump" ? { jump: b } : { goto: b };
    return i + 1;
  } else if (a === "counter") return b === "packets" ? i + 4 : i;
  else if (a === "comment") return i + 1;
  else if (a === "log") {
    let j = i;
    while (LOG_OPTIONS.has(t[j + 1] ?? "")) j += 2;
    return j;
  } else if ((a === "meta" && b === "l4proto") || (a === "ip" && b === "protocol") || (a === "ip6" && b === "nexthdr")) {
    if (c.startsWith("{")) m.other.push(`${b} ${c}`);
    else m.proto = c === "ipv6-icmp" ? "icmpv6" : c;
    return i + 2;
  } else if (a === "meta" && b === "nfproto") {
    m.ipVersion = c === "ipv6" ? 6 : 4;
    return i + 2;
  } else if ((a === "ip" || a === "ip6") && (b === "saddr" || b === "daddr")) return readAddress(rule, t, i, sets);
  else if ((a === "tcp" || a === "udp" || a === "th") && (b === "dport" || b === "sport")) return readPort(rule, t, i, sets);
  else if (a === "iif" || a === "iifname") {
    if (b === "!=" || b.startsWith("{")) m.other.push(`${a} ${b} ${b === "!=" ? c : ""}`.trim());
    else m.iface = unquote(b);
    return i + (b === "!=" ? 2 : 1);
  } else if (a === "ct" && b === "state") return readCtState(rule, t, i);
  else if ((a === "icmp" || a === "icmpv6") && b === "type") {
    m.proto = a;
    return i + 2;
  } else if (a === "dnat") {
    const at = b === "to" ? i + 2 : c === "to" ? i + 3 : -1;
    if (at > 0) rule.dnatTo = t[at] ?? null;
    return Math.max(at, i);
  } else m.other.push(a);
  return i;
}

function readAddress(rule: NftRule, t: readonly string[], i: number, sets: NftSets): number {
  const [family, field] = [t[i] ?? "", t[i + 1] ?? ""];
  const neg = t[i + 2] === "!=";
  const value = t[i + (neg ? 3 : 2)] ?? "";
  rule.match.ipVersion = family === "ip6" ? 6 : 4;
  const elements = elementsOf(value, sets);
  if (field === "daddr" && !neg) rule.daddr = value;
  if (field === "saddr" && !neg && elements.length) rule.match.sources = elements;
  else rule.match.other.push(`${family} ${field} ${neg ? "!= " : ""}${value}`);
  return i + (neg ? 3 : 2);
}

function readPort(rule: NftRule, t: readonly string[], i: number, sets: NftSets): number {
  const [proto, field] = [t[i] ?? "", t[i + 1] ?? ""];
  const neg = t[i + 2] === "!=";
  const value = t[i + (neg ? 3 : 2)] ?? "";
  if (proto !== "th") rule.match.proto = proto;
  const ranges = elementsOf(value, sets).map(parsePortRange);
  if (field === "dport" && !neg && ranges.length && ranges.every((r): r is PortRange => r !== null)) rule.match.dports = ranges;
  else rule.match.other.push(`${proto} ${field} ${neg ? "!= " : ""}${value}`);
  return i + (neg ? 3 : 2);
}

function readCtState(rule: NftRule, t: readonly string[], i: number): number {
  if (t[i + 2] === "vmap") {
    // `ct state vmap { established : accept, … }` decides only for the states it names.
    if (/\bnew\s*:\s*accept/.test(t[i + 3] ?? "")) rule.verdict = "accept";
    else rule.match.establishedOnly = true;
    return i + 3;
  }
  const states = elementsOf(t[i + 2] ?? "", new Map()).flatMap((s) => s.split(","));
  if (states.every((s) => s === "established" || s === "related")) rule.match.establishedOnly = true;
  else if (!states.includes("new")) rule.match.other.push(`ct state ${states.join(",")}`);
  return i + 2;
}

/** `22`, `{ 80, 443 }` or `@name` → the values; a set the table does not define gives none. */
function elementsOf(value: string, sets: NftSets): string[] {
  if (value.startsWith("@")) return sets.get(value.slice(1)) ?? [];
  return value
    .replace(/^\{|\}$/g, "")
    .split(",")
    .map((s) => unquote(s.trim()))
    .filter(Boolean);
}

function unquote(s: string): string {
  return s.replace(/^"(.*)"$/, "$1");
}
