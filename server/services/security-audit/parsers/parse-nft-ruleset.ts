import { ANY_MATCH, summarizeInbound, walkInbound, type FilterRule, type InboundWalk } from "./filter-walk";
import { readNftBlocks, type NftChain } from "./nft-blocks";
import { findErrorMessage, makeEvidence, unreadableOutput, type DockerPublishedPort, type FirewallView, type ParsedOutput } from "./types";

/** An input-hook filter chain and what a new TCP connection meets in it. */
export interface NftInputChain extends InboundWalk {
  family: string;
  table: string;
  chain: string;
  policy: "accept" | "drop";
}

export interface NftRuleset extends ParsedOutput {
  tables: string[];
  chains: NftChain[];
  inputChains: NftInputChain[];
  dockerPublished: DockerPublishedPort[];
  /** Tables iptables-nft (ufw, Docker) wrote: `nft` warns "managed by iptables-nft, do not touch!". */
  hasIptablesNftTables: boolean;
}

export type { NftChain } from "./nft-blocks";

const BASE_VERSION: Readonly<Record<string, 4 | 6 | "both">> = { ip: 4, ip6: 6, inet: "both" };

/**
 * Reads `nft list ruleset`. Empty output is unknown unless the caller ran it as root and it exited 0 (`ranOk`):
 * then it is the real answer "no ruleset at all", as on a fresh host.
 */
export function parseNftRuleset(text: string, options: { ranOk?: boolean } = {}): NftRuleset {
  const error = findErrorMessage(text) ?? text.split("\n").find((l) => /^(netlink: )?Error:/.test(l.trim())) ?? null;
  if (error) return unknownRuleset(`nft failed: ${error.trim()}`, text);
  if (!text.trim())
    return options.ranOk
      ? { ...emptyFacts(), readable: true, problem: null, evidence: "nft list ruleset: no tables (nothing filters traffic)" }
      : unknownRuleset("nft printed nothing", text);
  const parsed = readNftBlocks(text);
  if (!parsed) return unknownRuleset("Not a complete 'nft list ruleset' output (cut short or garbage)", text);
  const { chains, hasIptablesNftTables } = parsed;
  const inputChains = chains.filter((c) => c.hook === "input" && c.type === "filter").map((c) => walkChainOf(c, chains));
  const dockerPublished = chains.filter((c) => c.name === "DOCKER" && c.rules.some((r) => r.dnatTo)).flatMap(dnatRules);
  const evidence = [
    ...inputChains.flatMap((c) => [
      `table ${c.family} ${c.table} chain ${c.chain}: hook input, policy ${c.policy}`,
      ...c.acceptedTcp.map((a) => a.rule),
      ...(c.decidedBy ? [c.decidedBy] : []),
    ]),
    ...dockerPublished.map((d) => d.rule),
  ];
  const tables = [...new Set(chains.map((c) => `${c.family} ${c.table}`))];
  return {
    readable: true,
    problem: null,
    tables,
    chains,
    inputChains,
    dockerPublished,
    hasIptablesNftTables,
    evidence: makeEvidence(evidence.length ? evidence : [`tables: ${tables.join(", ") || "none"}; no input-hook filter chain`]),
  };
}

/** The inbound picture nft gives: a packet has to pass every input-hook chain, so one that drops by default is enough. */
export function nftFirewallView(r: NftRuleset): FirewallView {
  const active = r.readable ? r.inputChains.some((c) => c.filters) : "unknown";
  const summary = r.readable ? summarizeInbound(r.inputChains) : { defaultInbound: "unknown" as const, acceptedTcp: [] };
  return {
    readable: r.readable,
    problem: r.problem,
    evidence: r.evidence,
    backend: "nft",
    active,
    ...summary,
    dockerPublished: r.dockerPublished,
  };
}

function walkChainOf(c: NftChain, all: NftChain[]): NftInputChain {
  const table = new Map<string, FilterRule[]>(
    all.filter((x) => x.family === c.family && x.table === c.table).map((x) => [x.name, x.rules]),
  );
  const policy = c.policy ?? "accept";
  const walk = walkInbound(table, c.name, policy, { ...ANY_MATCH, ipVersion: BASE_VERSION[c.family] ?? "both" });
  return { ...walk, family: c.family, table: c.table, chain: c.name, policy };
}

function dnatRules(c: NftChain): DockerPublishedPort[] {
  return c.rules.flatMap((r) => {
    const port = r.match.dports?.[0];
    if (!r.dnatTo || !port) return [];
    return [{ hostIp: r.daddr ?? "any", hostPort: port, proto: r.match.proto ?? "tcp", destination: r.dnatTo, rule: r.raw }];
  });
}

function emptyFacts(): Omit<NftRuleset, keyof ParsedOutput> {
  return { tables: [], chains: [], inputChains: [], dockerPublished: [], hasIptablesNftTables: false };
}

function unknownRuleset(problem: string, text: string): NftRuleset {
  return { ...emptyFacts(), ...unreadableOutput(problem, text) };
}
