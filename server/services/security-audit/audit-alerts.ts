import { db } from "@/server/db";
import type { AuditChange, HostAuditResult } from "@/server/domain/security-audit";
import { applyObservations } from "@/server/services/alerts/evaluate";
import type { Observation } from "@/server/services/alerts/observe";
import { listAlertRules } from "@/server/services/alerts/rules";
import { isRegression } from "./assemble";

const subjectOf = (host: string, checkId: string) => `audit:${host}:${checkId}`;

/**
 * The "audit check regressed" rule: a check that passed in the run before and fails now fires an alert
 * through every channel; it is reminded while it keeps failing and resolved when it passes again.
 */
export async function alertAuditRegressions(
  stack: { id: string; name: string },
  changes: readonly AuditChange[],
  current: readonly HostAuditResult[],
  now = new Date(),
): Promise<{ action: string; rule: string; subject: string }[]> {
  const rules = await listAlertRules();
  if (!rules.find((r) => r.kind === "audit_regressed")?.enabled) return [];
  const verdicts = new Map(current.flatMap((h) => h.checks.map((c) => [subjectOf(h.host, c.id), { c, host: h.host }] as const)));
  const observations: Observation[] = changes.filter(isRegression).map((ch) => {
    const seen = verdicts.get(subjectOf(ch.host, ch.checkId));
    const evidence = seen?.c.evidence.split("\n")[0] ?? "";
    return {
      rule: "audit_regressed",
      subject: subjectOf(ch.host, ch.checkId),
      isBad: true,
      message: `Security audit check regressed: ${ch.label} on ${ch.host} (${evidence})`,
    };
  });
  const open = await db.alertEvent.findMany({ where: { stackId: stack.id, ruleKind: "audit_regressed", status: "firing" } });
  for (const e of open) {
    if (observations.some((o) => o.subject === e.subject)) continue;
    const seen = verdicts.get(e.subject);
    if (seen?.c.verdict === "unknown") continue;
    observations.push({
      rule: "audit_regressed",
      subject: e.subject,
      isBad: seen?.c.verdict === "fail",
      message: seen
        ? `Security audit check ${seen.c.verdict === "fail" ? "still fails" : "passes again"}: ${seen.c.label} on ${seen.host}`
        : `Security audit check no longer run: ${e.subject}`,
    });
  }
  return observations.length ? applyObservations(stack, observations, now, rules) : [];
}
