import type { AcceptedTcp, PortRange } from "./types";

/** The conditions of one rule, as far as the audit needs them (nft and iptables both map onto this). */
export interface FilterMatch {
  /** "tcp", "udp", "icmp"…; null for any protocol. */
  proto: string | null;
  dports: PortRange[] | null;
  /** null for any source (negated sources are "any" too, with the negation kept in `other`). */
  sources: string[] | null;
  iface: string | null;
  ipVersion: 4 | 6 | "both";
  /** `ct state established,related` without `new`: never matches a new connection. */
  establishedOnly: boolean;
  /** Conditions the audit does not interpret (rate limits, destination types…): the rule may or may not match. */
  other: string[];
}

export type FilterVerdict = "accept" | "drop" | "reject" | "return" | { jump: string } | { goto: string } | null;

export interface FilterRule {
  match: FilterMatch;
  verdict: FilterVerdict;
  raw: string;
}

/** What walking one inbound base chain found. */
export interface InboundWalk {
  /** The traffic the chain sees: an `ip` table only IPv4, `ip6` only IPv6, `inet` both. */
  ipVersion: 4 | 6 | "both";
  acceptedTcp: AcceptedTcp[];
  /** The verdict for a new TCP connection no rule accepted: the policy, or an unconditional final drop/accept rule. */
  fallThrough: "accept" | "drop";
  /** The rule that decided `fallThrough` when it was not the policy. */
  decidedBy: string | null;
  /** Some connection gets dropped or rejected on the way (a policy of drop counts): the chain filters at all. */
  filters: boolean;
}

export const ANY_MATCH: FilterMatch = {
  proto: null,
  dports: null,
  sources: null,
  iface: null,
  ipVersion: "both",
  establishedOnly: false,
  other: [],
};
const MAX_DEPTH = 32;
type Outcome = "end" | "returned" | { stop: "accept" | "drop"; rule: string };

/**
 * Follows an inbound chain the way the kernel does for a new TCP connection: into jumped chains, back on RETURN,
 * stopping at an unconditional verdict only when every packet still reaches it. It collects accepts and never
 * subtracts drops, so a port dropped before it is accepted is still reported open: it errs towards "open", never "closed".
 */
export function walkInbound(
  chains: ReadonlyMap<string, readonly FilterRule[]>,
  start: string,
  policy: "accept" | "drop",
  base: FilterMatch = ANY_MATCH,
): InboundWalk {
  const w: Walk = { chains, out: [], filters: false };
  const outcome = walkChain(w, start, base, true, [start], null);
  const [ipVersion, acceptedTcp] = [base.ipVersion, w.out];
  if (typeof outcome === "object")
    return { ipVersion, acceptedTcp, fallThrough: outcome.stop, decidedBy: outcome.rule, filters: w.filters || outcome.stop === "drop" };
  return { ipVersion, acceptedTcp, fallThrough: policy, decidedBy: null, filters: w.filters || policy === "drop" };
}

interface Walk {
  chains: ReadonlyMap<string, readonly FilterRule[]>;
  out: AcceptedTcp[];
  filters: boolean;
}

/** `allReach`: every packet still being walked reaches this chain; `via`: the conditional jump that led here. */
function walkChain(w: Walk, name: string, ctx: FilterMatch, allReach: boolean, stack: string[], via: string | null): Outcome {
  let reach = allReach;
  for (const rule of w.chains.get(name) ?? []) {
    if (rule.match.establishedOnly) continue;
    const merged = mergeMatch(ctx, rule.match);
    if (!merged) continue;
    const whole = isUnconditional(rule.match);
    const v = rule.verdict;
    if (v === "accept") {
      if (merged.proto === null || merged.proto === "tcp") w.out.push(toAccepted(merged, describe(rule.raw, name, stack, via)));
      if (whole && reach) return { stop: "accept", rule: rule.raw };
    } else if (v === "drop" || v === "reject") {
      w.filters = true;
      if (whole && reach) return { stop: "drop", rule: rule.raw };
    } else if (v === "return") {
      if (whole) return "returned";
      reach = false;
    } else if (v !== null && typeof v === "object") {
      const target = "jump" in v ? v.jump : v.goto;
      if (!w.chains.has(target) || stack.includes(target) || stack.length >= MAX_DEPTH) continue;
      const res = walkChain(w, target, merged, reach && whole, [...stack, target], whole ? via : rule.raw);
      if (typeof res === "object") return res;
      if ("goto" in v && whole) return "returned";
    }
  }
  return "end";
}

/** Both sets of conditions at once; null when no packet can match both (tcp and udp, 22 and 80). */
export function mergeMatch(a: FilterMatch, b: FilterMatch): FilterMatch | null {
  if (a.proto && b.proto && a.proto !== b.proto) return null;
  if (a.ipVersion !== "both" && b.ipVersion !== "both" && a.ipVersion !== b.ipVersion) return null;
  const dports = a.dports && b.dports ? intersect(a.dports, b.dports) : (a.dports ?? b.dports);
  if (dports && dports.length === 0) return null;
  return {
    proto: a.proto ?? b.proto,
    dports,
    sources: b.sources ?? a.sources,
    iface: b.iface ?? a.iface,
    ipVersion: a.ipVersion === "both" ? b.ipVersion : a.ipVersion,
    establishedOnly: a.establishedOnly || b.establishedOnly,
    other: [...a.other, ...b.other],
  };
}

/** The rule for the evidence, with the chain it sits in (iptables lines name it already) and the jump that led there. */
function describe(raw: string, chain: string, stack: readonly string[], via: string | null): string {
  const named = stack.length > 1 && !raw.startsWith(`-A ${chain} `) ? `${chain}: ${raw}` : raw;
  return via ? `${named} ← ${via}` : named;
}

function isUnconditional(m: FilterMatch): boolean {
  return !m.proto && !m.dports && !m.sources && !m.iface && m.ipVersion === "both" && !m.establishedOnly && m.other.length === 0;
}

function intersect(a: PortRange[], b: PortRange[]): PortRange[] {
  return a.flatMap((x) =>
    b.flatMap((y) =>
      Math.max(x.from, y.from) <= Math.min(x.to, y.to) ? [{ from: Math.max(x.from, y.from), to: Math.min(x.to, y.to) }] : [],
    ),
  );
}

function toAccepted(m: FilterMatch, rule: string): AcceptedTcp {
  return {
    ports: m.dports ?? "any",
    sources: m.sources ?? "any",
    iface: m.iface,
    ipVersion: m.ipVersion,
    rule,
    partial: m.other.length > 0,
  };
}

/**
 * A packet has to pass every input-hook chain of its IP version (`ip` + `inet` for IPv4, `ip6` + `inet` for IPv6),
 * so one chain that drops by default is enough for that version; inbound is default-deny only when both versions are.
 */
export function summarizeInbound(
  walks: readonly InboundWalk[],
  versions: readonly (4 | 6)[] = [4, 6],
): { defaultInbound: "allow" | "deny"; acceptedTcp: AcceptedTcp[] } {
  const accepted = new Set<AcceptedTcp>();
  let denyBoth = true;
  for (const version of versions) {
    const mine = walks.filter((w) => w.ipVersion === version || w.ipVersion === "both");
    const denying = mine.filter((w) => w.fallThrough === "drop");
    const source = denying.length ? denying : mine;
    for (const a of source.flatMap((w) => w.acceptedTcp)) if (a.ipVersion === version || a.ipVersion === "both") accepted.add(a);
    if (denying.length) continue;
    denyBoth = false;
    const why = mine.map((w) => w.decidedBy).find(Boolean) ?? (mine.length ? "input policy accept" : "no input filter chain");
    accepted.add({
      ports: "any",
      sources: "any",
      iface: null,
      ipVersion: version,
      rule: `IPv${version}: ${why}, so every port is open`,
      partial: false,
    });
  }
  return { defaultInbound: denyBoth ? "deny" : "allow", acceptedTcp: [...accepted] };
}
