import {
  findErrorMessage,
  makeEvidence,
  parsePortRange,
  unreadableOutput,
  type AcceptedTcp,
  type FirewallView,
  type Known,
  type ParsedOutput,
  type PortRange,
} from "./types";

export type UfwPolicy = "allow" | "deny" | "reject";
export type UfwAction = "ALLOW" | "DENY" | "REJECT" | "LIMIT";

/** One row of the rules table of `ufw status verbose`. */
export interface UfwRule {
  /** "any" for `Anywhere` (every port); otherwise the port list of the To column. */
  ports: PortRange[] | "any";
  /** "any" when the To column names no protocol (`53`, `Anywhere`). */
  proto: "tcp" | "udp" | "any";
  action: UfwAction;
  direction: "IN" | "OUT" | "FWD";
  /** "Anywhere" or the address/CIDR of the From column. */
  from: string;
  /** A destination address in the To column (`ufw allow to 10.0.0.10 port 22`); null for any. */
  toAddress: string | null;
  iface: string | null;
  /** The application profile (`22/tcp (OpenSSH)`); null for a plain rule. */
  app: string | null;
  isV6: boolean;
  raw: string;
}

export interface UfwStatus extends ParsedOutput {
  active: Known<boolean>;
  incoming: Known<UfwPolicy>;
  outgoing: Known<UfwPolicy>;
  routed: Known<UfwPolicy | "disabled">;
  rules: UfwRule[];
}

const ROW = /^(.*?)\s+(ALLOW|DENY|REJECT|LIMIT)(?: (IN|OUT|FWD))?\s+(.*)$/;

/** Reads `ufw status verbose`; "inactive" is a real answer, while errors and cut-off output give unknown. */
export function parseUfwStatus(text: string): UfwStatus {
  const lines = text.split("\n");
  const status = /^Status: (active|inactive)\s*$/m.exec(text)?.[1];
  const error = findErrorMessage(text);
  if (error || !status)
    return { ...unknownFacts(), ...unreadableOutput(error ? `ufw said: ${error}` : "Not the output of 'ufw status verbose'", text) };
  if (status === "inactive") return { ...unknownFacts(), active: false, readable: true, problem: null, evidence: makeEvidence(lines) };
  const defaults = /^Default: (\w+) \(incoming\), (\w+) \(outgoing\), (\w+) \(routed\)/m.exec(text);
  const header = lines.findIndex((l) => /^To\s+Action\s+From$/.test(l.trim()));
  // An active ufw without rules prints no table, so only the Default line tells a complete output from a cut one.
  if (!defaults && header < 0)
    return { ...unknownFacts(), ...unreadableOutput("ufw is active but its output was cut short", text), active: true };
  const rows = header < 0 ? [] : lines.slice(header + 2).filter((l) => l.trim());
  const rules = rows.map(parseUfwRow);
  if (rules.some((r) => r === null))
    return { ...unknownFacts(), ...unreadableOutput("A ufw rule row could not be read (output cut short?)", text), active: true };
  return {
    readable: true,
    problem: null,
    active: true,
    incoming: policyOf(defaults?.[1]),
    outgoing: policyOf(defaults?.[2]),
    routed: defaults?.[3] === "disabled" ? "disabled" : policyOf(defaults?.[3]),
    rules: rules.filter((r): r is UfwRule => r !== null),
    evidence: makeEvidence(lines),
  };
}

/** One rules-table row, e.g. `3306/tcp   ALLOW IN   10.0.0.30` or `22/tcp (OpenSSH (v6))   ALLOW IN   Anywhere (v6)`. */
export function parseUfwRow(line: string): UfwRule | null {
  const m = ROW.exec(line.trim());
  if (!m?.[1] || !m[2]) return null;
  let to = m[1];
  let from = (m[4] ?? "")
    .replace(/\s+#.*$/, "")
    .replace(/\s*\((log|log-all)\)\s*$/, "")
    .trim();
  const fromAddress = from.split(/\s+/)[0] ?? "";
  const isV6 = /\(v6\)/.test(to) || /\(v6\)/.test(from) || (fromAddress.includes(":") && !/^\d+:\d+(\/\w+)?$/.test(fromAddress));
  const iface = / on (\S+)$/.exec(to)?.[1] ?? null;
  to = to.replace(/ on \S+$/, "");
  const app = /\((.+?)(?: \(v6\))?\)$/.exec(to.replace(/ \(v6\)$/, ""))?.[1] ?? null;
  to = to.replace(/\s*\(.*\)$/, "").trim();
  from = from.replace(/ \(v6\)/, "").replace(/ on \S+$/, "");
  const [target, portSpec] = splitTo(to);
  const ranges = portSpec?.list.map(parsePortRange) ?? null;
  const ports = ranges === null ? "any" : ranges.every((r): r is PortRange => r !== null) ? ranges : null;
  if (ports === null) return null;
  return {
    ports,
    proto: portSpec?.proto ?? "any",
    action: m[2] as UfwAction,
    direction: (m[3] as UfwRule["direction"] | undefined) ?? "IN",
    from,
    toAddress: target,
    iface,
    app,
    isV6,
    raw: line.trim(),
  };
}

/** "22/tcp", "80,443/tcp", "53", "Anywhere", "10.0.0.10 22/tcp" → destination address and ports. */
function splitTo(to: string): [string | null, { list: string[]; proto: UfwRule["proto"] } | null] {
  const parts = to.split(/\s+/);
  const last = parts[parts.length - 1] ?? "";
  const m = /^([\d,:]+)(?:\/(tcp|udp))?$/.exec(last);
  const address = parts.length > 1 || !m ? (parts[0] === "Anywhere" ? null : (parts[0] ?? null)) : null;
  if (!m?.[1]) return [address, null];
  return [address, { list: m[1].split(","), proto: (m[2] as "tcp" | "udp" | undefined) ?? "any" }];
}

/** The inbound picture ufw gives: ALLOW and LIMIT rules for TCP coming in (LIMIT still accepts, only slower). */
export function ufwFirewallView(status: UfwStatus): FirewallView {
  const acceptedTcp: AcceptedTcp[] = status.rules
    .filter((r) => r.direction === "IN" && (r.action === "ALLOW" || r.action === "LIMIT") && r.proto !== "udp")
    .map((r) => ({
      ports: r.ports,
      sources: r.from === "Anywhere" ? "any" : [r.from.split(/\s+/)[0] ?? r.from],
      iface: r.iface,
      ipVersion: r.isV6 ? 6 : 4,
      rule: r.raw,
      partial: false,
    }));
  const incoming = status.incoming;
  const defaultInbound = incoming === "unknown" ? "unknown" : incoming === "allow" ? "allow" : "deny";
  return {
    readable: status.readable,
    problem: status.problem,
    evidence: status.evidence,
    backend: "ufw",
    active: status.active,
    defaultInbound: status.active === true ? defaultInbound : "unknown",
    acceptedTcp,
    dockerPublished: [],
  };
}

function policyOf(word: string | undefined): Known<UfwPolicy> {
  return word === "allow" || word === "deny" || word === "reject" ? word : "unknown";
}

function unknownFacts(): Omit<UfwStatus, keyof ParsedOutput> {
  return { active: "unknown", incoming: "unknown", outgoing: "unknown", routed: "unknown", rules: [] };
}
