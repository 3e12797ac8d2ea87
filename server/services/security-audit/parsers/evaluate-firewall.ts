import {
  allowedPortsOf,
  findDockerViolations,
  findFirewallViolations,
  type AllowedPort,
  type PortViolation,
  type ServerRole,
} from "./role-ports";
import { makeEvidence, type DockerPublishedPort, type FirewallView } from "./types";

export type AuditVerdict = "pass" | "fail" | "unknown";

export interface FirewallCheck {
  id: "firewall-active" | "default-deny-inbound" | "only-allowed-ports";
  verdict: AuditVerdict;
  evidence: string;
  /** ufw commands the operator could run; null on pass and when nothing can be suggested. */
  fix: string | null;
}

export interface FirewallPolicy {
  roles: readonly ServerRole[];
  /** The app hosts' private addresses (e.g. 10.0.0.30): the only sources allowed to reach 3306 and 6379. */
  privateSources: readonly string[];
}

export interface FirewallEvaluation {
  /** The firewall the verdicts are based on; null when none was active and readable. */
  backend: FirewallView["backend"] | null;
  checks: FirewallCheck[];
  dockerNote: string;
}

/** Shown beside every firewall verdict: the firewall alone never settles what Docker publishes. */
export const DOCKER_NOTE =
  "Ports Docker publishes (compose `ports: 3306:3306`) are forwarded by DNAT before the INPUT chain, so ufw and INPUT rules do not restrict them: publish on 127.0.0.1 or filter in the DOCKER-USER chain.";

/**
 * Judges the host firewall against its roles. Views are tried in order (ufw, nft, iptables): the first readable
 * active one decides. "Inactive" fails only when every view was read; an unreadable one leaves the check unknown.
 */
export function evaluateFirewall(
  views: readonly FirewallView[],
  policy: FirewallPolicy,
  published: readonly DockerPublishedPort[] = [],
): FirewallEvaluation {
  const allowed = allowedPortsOf(policy.roles);
  const chosen = views.find((v) => v.readable && v.active === true) ?? null;
  const dockerViolations = findDockerViolations(dedupe([...published, ...views.flatMap((v) => v.dockerPublished)]), allowed);
  const enable = enableCommands(allowed, policy.privateSources);
  if (!chosen) {
    const verdict: AuditVerdict = views.length > 0 && views.every((v) => v.readable && v.active === false) ? "fail" : "unknown";
    const evidence = makeEvidence(
      views.flatMap((v) => [
        `${v.backend}: ${v.readable ? (v.active === false ? "inactive" : "active unknown") : v.problem}`,
        ...v.evidence.split("\n").slice(0, 3),
      ]),
    );
    const fix = verdict === "fail" ? enable : null;
    return {
      backend: null,
      checks: [
        { id: "firewall-active", verdict, evidence: evidence || "no firewall output", fix },
        { id: "default-deny-inbound", verdict, evidence: "No active firewall could be read", fix },
        portsCheck({ verdict, fw: [], docker: dockerViolations, summary: "No active firewall could be read", firewallFix: fix }, policy),
      ],
      dockerNote: DOCKER_NOTE,
    };
  }
  const deny = chosen.defaultInbound;
  const firewallViolations = findFirewallViolations(chosen.acceptedTcp, allowed, policy.privateSources);
  return {
    backend: chosen.backend,
    checks: [
      { id: "firewall-active", verdict: "pass", evidence: makeEvidence(chosen.evidence.split("\n").slice(0, 5)), fix: null },
      {
        id: "default-deny-inbound",
        verdict: deny === "deny" ? "pass" : deny === "allow" ? "fail" : "unknown",
        evidence: makeEvidence([`default inbound: ${deny} (${chosen.backend})`, ...chosen.evidence.split("\n").slice(0, 4)]),
        fix: deny === "allow" ? "sudo ufw default deny incoming\nsudo ufw reload" : null,
      },
      // Without the default verdict (IPv6 not read), what falls through is not known: no violation is not a pass.
      portsCheck(
        {
          verdict: firewallViolations.length ? "fail" : deny === "unknown" ? "unknown" : "pass",
          fw: firewallViolations,
          docker: dockerViolations,
          summary: `open TCP: ${describeAccepted(chosen)}`,
          firewallFix: null,
        },
        policy,
      ),
    ],
    dockerNote: DOCKER_NOTE,
  };
}

interface PortsFindings {
  /** The verdict from the firewall alone, before Docker's published ports. */
  verdict: AuditVerdict;
  fw: PortViolation[];
  docker: PortViolation[];
  summary: string;
  /** Enabling the firewall, when there is none. */
  firewallFix: string | null;
}

function portsCheck({ verdict: base, fw, docker, summary, firewallFix }: PortsFindings, policy: FirewallPolicy): FirewallCheck {
  const verdict: AuditVerdict = docker.length ? "fail" : base;
  const lines = [
    summary,
    ...fw.map((v) => `not allowed: ${v.what} (${v.rule})`),
    ...docker.map((v) => `bypasses the firewall: ${v.what} (${v.rule})`),
  ];
  const fixes = [
    ...(firewallFix ? [firewallFix] : []),
    ...fw.flatMap((v) => fixFor(v, policy.privateSources)),
    ...docker.flatMap((v) => dockerFixFor(v, policy.privateSources)),
  ];
  return {
    id: "only-allowed-ports",
    verdict,
    evidence: makeEvidence(lines),
    fix: verdict === "fail" && fixes.length ? [...new Set(fixes)].join("\n") : null,
  };
}

function fixFor(v: PortViolation, sources: readonly string[]): string[] {
  if (v.port === null) return ["sudo ufw status numbered   # then: sudo ufw delete <number> for the rule that allows every port"];
  if (!v.restrict) return [`sudo ufw delete allow ${v.port}/tcp   # or: sudo ufw status numbered, then sudo ufw delete <number>`];
  return [...allowFrom(v.port, sources), `sudo ufw delete allow ${v.port}/tcp`];
}

function dockerFixFor(v: PortViolation, sources: readonly string[]): string[] {
  const src = sources[0] ?? "<app-private-ip>";
  const bind = v.restrict
    ? `publish it on this host's private address only ("<private-ip>:${v.port}:${v.port}")`
    : `publish it as "127.0.0.1:${v.port}:${v.port}" or not at all`;
  const userRule = v.restrict
    ? `\nsudo iptables -I DOCKER-USER -p tcp -m conntrack --ctorigdstport ${v.port} --ctdir ORIGINAL ! -s ${src} -j DROP`
    : "";
  return [`# In the compose file, ${bind}; ufw cannot restrict it.${userRule}`];
}

/** SSH first, so enabling the firewall does not cut the session the operator is using. */
function enableCommands(allowed: readonly AllowedPort[], sources: readonly string[]): string {
  const rules = allowed.flatMap((p) => (p.privateOnly ? allowFrom(String(p.port), sources) : [`sudo ufw allow ${p.port}/tcp`]));
  return [
    "sudo ufw allow 22/tcp",
    "sudo ufw default deny incoming",
    ...rules.filter((r) => r !== "sudo ufw allow 22/tcp"),
    "sudo ufw enable",
  ].join("\n");
}

function allowFrom(port: string, sources: readonly string[]): string[] {
  return (sources.length ? sources : ["<app-private-ip>"]).map((s) => `sudo ufw allow from ${s} to any port ${port} proto tcp`);
}

function describeAccepted(view: FirewallView): string {
  const parts = view.acceptedTcp
    .filter((a) => a.iface !== "lo")
    .map((a) => {
      const ports = a.ports === "any" ? "all" : a.ports.map((p) => (p.from === p.to ? p.from : `${p.from}-${p.to}`)).join(",");
      return `${ports}${a.sources === "any" ? "" : ` from ${a.sources.join(",")}`}${a.ipVersion === 6 ? " (v6)" : ""}`;
    });
  return [...new Set(parts)].join("; ") || "none";
}

function dedupe(ports: DockerPublishedPort[]): DockerPublishedPort[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const key = `${p.hostIp}|${p.hostPort.from}|${p.proto}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
