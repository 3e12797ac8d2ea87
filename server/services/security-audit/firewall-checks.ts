import type { AuditCheck } from "@/server/domain/security-audit";
import { readFirewallViews } from "./command-readers";
import type { HostFacts } from "./host-facts";
import { DOCKER_NOTE, evaluateFirewall, type FirewallCheck } from "./parsers/evaluate-firewall";
import { parseContainerInspectPorts, toDockerPublished } from "./parsers/parse-docker-ports";
import type { ServerRole } from "./parsers/role-ports";
import { makeEvidence } from "./parsers/types";

/** Inventory roles → the plan's firewall roles: the proxy and storage nodes sit on app-like hosts (22, 80, 443). */
const ROLE_OF: Readonly<Record<string, ServerRole>> = { app: "app", proxy: "app", storage: "app", db: "db", cache: "cache" };

const CHECKS: readonly { from: FirewallCheck["id"]; id: string; label: string; why: string }[] = [
  {
    from: "firewall-active",
    id: "firewall-active",
    label: "A host firewall is active",
    why: "Without a firewall every listening service is reachable from the internet; the plan asks for UFW/iptables.",
  },
  {
    from: "default-deny-inbound",
    id: "firewall-default-deny",
    label: "Inbound traffic is denied by default",
    why: "With a default allow, any service that starts listening later is exposed at once; only the plan's ports should be opened.",
  },
  {
    from: "only-allowed-ports",
    id: "firewall-only-plan-ports",
    label: "Only the plan's ports are open",
    why: "The plan opens 22, 80 and 443 on app hosts, and 3306/6379 only to the app hosts on db/cache hosts; anything else is attack surface.",
  },
];

/** The plan's server roles of this host (app, db, cache), from the inventory's roles. */
export function serverRolesOf(roles: readonly string[]): ServerRole[] {
  return [...new Set(roles.flatMap((r) => (ROLE_OF[r] ? [ROLE_OF[r]] : [])))];
}

/** firewall-active, firewall-default-deny and firewall-only-plan-ports, judged on ufw, nft or iptables, whichever is active. */
export function evaluateFirewallChecks(facts: HostFacts): AuditCheck[] {
  const roles = serverRolesOf(facts.host.roles);
  const { views, missing } = readFirewallViews(facts.commands);
  const missingLine = missing.length ? [`not installed: ${missing.join(", ")}`] : [];
  if (roles.length === 0) {
    const evidence = makeEvidence([
      `roles in the panel: ${facts.host.roles.join(", ") || "none"}`,
      ...missingLine,
      ...views.map((v) => `${v.backend}: ${v.readable ? `active ${v.active}, default inbound ${v.defaultInbound}` : v.problem}`),
    ]);
    return CHECKS.map((c) =>
      toCheck(c, {
        verdict: "unknown",
        evidence,
        fix: "Give the host its roles (app, db, cache, proxy, storage) in the panel: which ports it may open depends on them, and so do the firewall commands the panel suggests.",
      }),
    );
  }
  const published = facts.containers ? toDockerPublished(parseContainerInspectPorts(facts.containers).containers) : [];
  const result = evaluateFirewall(views, { roles, privateSources: facts.appPrivateSources }, published);
  const allInactive = views.length > 0 && views.every((v) => v.readable && v.active === false);
  return CHECKS.map((c) => {
    const found = result.checks.find((x) => x.id === c.from);
    if (!found) throw new Error(`evaluateFirewall gave no ${c.from} check`);
    const docker = c.from === "only-allowed-ports" && /bypasses the firewall/.test(found.evidence) ? [DOCKER_NOTE] : [];
    const fix = found.verdict === "unknown" ? unknownFix(missing) : found.fix;
    // The evaluator says "could not be read" for both cases; when every tool answered "inactive", say that.
    const lines = found.evidence
      .split("\n")
      .map((l) =>
        allInactive && l.startsWith("No active firewall could be read") ? "No firewall is active: every firewall tool read as inactive" : l,
      );
    return toCheck(c, { verdict: found.verdict, evidence: makeEvidence([...lines, ...missingLine, ...docker]), fix });
  });
}

function toCheck(c: (typeof CHECKS)[number], r: Pick<AuditCheck, "verdict" | "evidence" | "fix">): AuditCheck {
  return {
    id: c.id,
    area: "firewall",
    label: c.label,
    verdict: r.verdict,
    evidence: r.evidence,
    why: c.why,
    fix: r.verdict === "pass" ? null : r.fix,
    panelFix: null,
  };
}

function unknownFix(missing: readonly string[]): string {
  const tools = missing.length === 3 ? " None of ufw, nft or iptables-save is installed: install ufw (sudo apt install ufw)." : "";
  return `The panel could not read the firewall: run the audit as root, or allow the SSH user "sudo -n" for ufw status verbose, nft list ruleset, iptables-save and ip6tables-save.${tools}`;
}
