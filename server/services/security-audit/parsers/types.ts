/** A fact a parser read, or "unknown" when the output did not say it (never guessed as a pass). */
export type Known<T> = T | "unknown";

/** What every parser result carries: whether the output could be read at all, and the lines to show. */
export interface ParsedOutput {
  /** False when the text was empty, an error message, garbage or cut short: every fact is then unknown. */
  readable: boolean;
  /** Why it could not be read, in the operator's words; null when readable. */
  problem: string | null;
  /** The relevant lines, trimmed, at most ~20, for the UI to show beside the verdict. */
  evidence: string;
}

/** An inclusive port range; a single port has from === to. */
export interface PortRange {
  from: number;
  to: number;
}

/** One way new inbound TCP connections get accepted, as read from a firewall. */
export interface AcceptedTcp {
  /** "any" when the rule accepts every TCP port (e.g. `ufw allow from 192.168.1.0/24`). */
  ports: PortRange[] | "any";
  /** Addresses or CIDRs as written; "any" also stands for negated sources (`! -s 10.0.0.0/8`). */
  sources: string[] | "any";
  /** Only through this interface (e.g. "lo"); null for every interface. */
  iface: string | null;
  ipVersion: 4 | 6 | "both";
  /** The rule as the tool printed it, for the evidence. */
  rule: string;
  /** True when the rule also had conditions the parser does not understand (it is still counted as open). */
  partial: boolean;
}

/** A port Docker publishes through DNAT: such traffic never passes INPUT, so ufw/INPUT rules do not restrict it. */
export interface DockerPublishedPort {
  /** "any" when published on every host address (Docker's `3306:3306`). */
  hostIp: string;
  hostPort: PortRange;
  proto: string;
  /** Container address:port, e.g. "172.18.0.2:3306". */
  destination: string;
  rule: string;
}

/** The inbound picture of one firewall tool, whichever answered (ufw, nft or iptables). */
export interface FirewallView extends ParsedOutput {
  backend: "ufw" | "nft" | "iptables";
  active: Known<boolean>;
  defaultInbound: Known<"allow" | "deny">;
  acceptedTcp: AcceptedTcp[];
  dockerPublished: DockerPublishedPort[];
}

const MAX_EVIDENCE_LINES = 20;

/** Trims lines, drops blank ones and caps them, saying how many were left out. */
export function makeEvidence(lines: readonly string[], max = MAX_EVIDENCE_LINES): string {
  const kept = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  if (kept.length <= max) return kept.join("\n");
  return [...kept.slice(0, max - 1), `… (${kept.length - max + 1} more lines)`].join("\n");
}

/** The readable/problem/evidence part for an output that could not be read: its first lines, as the tool said them. */
export function unreadableOutput(problem: string, text: string): ParsedOutput {
  const head = text.trim() ? text.split("\n").slice(0, 5) : ["(no output)"];
  return { readable: false, problem, evidence: makeEvidence(head) };
}

const ERROR_PATTERNS: readonly RegExp[] = [
  /permission denied/i,
  /you must be root/i,
  /you need to be root/i,
  /operation not permitted/i,
  /command not found/i,
  /no such file or directory/i,
  /^error:/im,
  /^sudo:/im,
];

/** Names a tool's error message in the output (permission, missing binary…); null when there is none. */
export function findErrorMessage(text: string): string | null {
  const line = text.split("\n").find((l) => ERROR_PATTERNS.some((p) => p.test(l)));
  return line ? line.trim() : null;
}

/** Parses "22", "8000-8100" (nft) or "60000:61000" (iptables/ufw); null when it is not a port spec. */
export function parsePortRange(spec: string): PortRange | null {
  const m = /^(\d{1,5})(?:[-:](\d{1,5}))?$/.exec(spec.trim());
  if (!m) return null;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 0 || to > 65535 || from > to) return null;
  return { from, to };
}
