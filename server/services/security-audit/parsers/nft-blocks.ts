import { parseNftRule, type NftRule } from "./nft-rule";

export interface NftChain {
  family: string;
  table: string;
  name: string;
  type: string | null;
  /** "input", "forward"…; null for a regular chain that is only jumped to. */
  hook: string | null;
  policy: "accept" | "drop" | null;
  rules: NftRule[];
}

interface BlockState {
  depth: number;
  table: { family: string; name: string } | null;
  chain: (Omit<NftChain, "rules"> & { raw: string[] }) | null;
  set: { key: string; text: string } | null;
  chains: (Omit<NftChain, "rules"> & { raw: string[] })[];
  sets: Map<string, string[]>;
  hasIptablesNftTables: boolean;
}

/** Tables, chains and sets of `nft list ruleset` (`-a` handles too) by brace depth; null when a line is out of place or the braces do not close. */
export function readNftBlocks(text: string): { chains: NftChain[]; hasIptablesNftTables: boolean } | null {
  const s: BlockState = { depth: 0, table: null, chain: null, set: null, chains: [], sets: new Map(), hasIptablesNftTables: false };
  for (const line of text.split("\n").map((l) => l.replace(/\s+# handle \d+$/, "").trim())) {
    if (line.startsWith("#")) s.hasIptablesNftTables ||= /managed by iptables-nft/.test(line);
    if (!line || line.startsWith("#")) continue;
    if (!readLine(s, line)) return null;
    s.depth += braceDelta(line);
    if (s.depth < 0) return null;
    if (s.depth === 1 && s.chain) s.chains.push(s.chain);
    if (s.depth === 1 && s.set) s.sets.set(s.set.key, elementsIn(s.set.text));
    if (s.depth === 1) {
      s.chain = null;
      s.set = null;
    }
  }
  if (s.depth !== 0 || !s.table) return null;
  const chains = s.chains.map(({ raw, ...c }) => ({ ...c, rules: raw.map((r) => parseNftRule(r, setsOf(s.sets, c))) }));
  return { chains, hasIptablesNftTables: s.hasIptablesNftTables };
}

function readLine(s: BlockState, line: string): boolean {
  if (s.depth === 0) {
    const t = /^table (\w+) (\S+) \{$/.exec(line);
    if (t?.[1] && t[2]) s.table = { family: t[1], name: t[2] };
    return Boolean(t);
  }
  const chain = s.depth === 1 ? /^chain (\S+) \{$/.exec(line) : null;
  const set = s.depth === 1 ? /^(?:set|map) (\S+) \{$/.exec(line) : null;
  if (chain?.[1] && s.table)
    s.chain = { family: s.table.family, table: s.table.name, name: chain[1], type: null, hook: null, policy: null, raw: [] };
  if (set?.[1] && s.table) s.set = { key: `${s.table.family} ${s.table.name} ${set[1]}`, text: "" };
  if (s.depth === 2 && s.chain && line !== "}") readChainLine(s.chain, line);
  if (s.depth >= 2 && s.set) s.set.text += ` ${line}`;
  return true;
}

function readChainLine(chain: Omit<NftChain, "rules"> & { raw: string[] }, line: string): void {
  const base = /^type (\w+) hook (\w+)(?: device \S+)? priority [^;]+;(?: policy (accept|drop);)?/.exec(line);
  if (!base?.[1] || !base[2]) {
    chain.raw.push(line);
    return;
  }
  chain.type = base[1];
  chain.hook = base[2];
  chain.policy = (base[3] as "accept" | "drop" | undefined) ?? "accept";
}

function setsOf(all: Map<string, string[]>, c: Pick<NftChain, "family" | "table">): Map<string, string[]> {
  const prefix = `${c.family} ${c.table} `;
  return new Map([...all].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

function elementsIn(setBody: string): string[] {
  const m = /elements = \{([^}]*)\}/.exec(setBody);
  return m?.[1]
    ? m[1]
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean)
    : [];
}

function braceDelta(line: string): number {
  const bare = line.replace(/"(?:[^"\\]|\\.)*"/g, "");
  return (bare.match(/\{/g)?.length ?? 0) - (bare.match(/\}/g)?.length ?? 0);
}
