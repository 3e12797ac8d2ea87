import type { AuditCheck } from "@/server/domain/security-audit";
import { evaluateFirewallChecks } from "./firewall-checks";
import type { HostFacts } from "./host-facts";
import { evaluatePortChecks } from "./port-checks";
import { evaluateSshChecks } from "./ssh-checks";

/**
 * The host part of the security baseline (SSH, firewall, published ports), judged from the collected facts alone:
 * every check is pass, fail or unknown with the evidence it rests on, and an output that could not be read is never a pass.
 */
export function evaluateHostChecks(facts: HostFacts): AuditCheck[] {
  return [...evaluateSshChecks(facts), ...evaluateFirewallChecks(facts), ...evaluatePortChecks(facts)];
}
