import type { AuditChange, AuditCheck, HostAuditResult } from "@/server/domain/security-audit";
import type { AcceptedRiskView } from "./views";

/** Marks failing checks an admin accepted: by check id and host, or (env rules) by rule and key. */
export function markAcceptedRisks(results: HostAuditResult[], risks: readonly AcceptedRiskView[]): HostAuditResult[] {
  const find = (c: AuditCheck, host: string) =>
    risks.find((r) => (r.rule === c.id && r.subject === host) || c.id === `env:${r.rule}:${r.subject}`) ?? null;
  return results.map((h) => ({
    ...h,
    checks: h.checks.map((c) => {
      const r = c.verdict === "fail" ? find(c, h.host) : null;
      return r ? { ...c, acceptedRisk: { reason: r.reason, by: r.acceptedBy, at: r.createdAt.toISOString() } } : c;
    }),
  }));
}

/** What changed since the previous run, check by check (a check seen for the first time is "new" only when it fails). */
export function diffRuns(previous: readonly HostAuditResult[] | null, current: readonly HostAuditResult[]): AuditChange[] {
  if (!previous) return [];
  const before = new Map(previous.flatMap((h) => h.checks.map((c) => [`${h.host}|${c.id}`, c.verdict] as const)));
  const out: AuditChange[] = [];
  for (const h of current) {
    for (const c of h.checks) {
      const from = before.get(`${h.host}|${c.id}`);
      if (from === c.verdict) continue;
      if (from === undefined && c.verdict !== "fail") continue;
      out.push({ host: h.host, checkId: c.id, label: c.label, from: from ?? "new", to: c.verdict });
    }
  }
  return out;
}

/** A check regressed when it passed in the run before and fails now. */
export const isRegression = (c: AuditChange) => c.from === "pass" && c.to === "fail";

/** Redacts every evidence, fix and error text (secrets the panel holds and those seen during the run). */
export function redactResults(results: HostAuditResult[], clean: (text: string) => string): HostAuditResult[] {
  return results.map((h) => ({
    ...h,
    error: h.error === null ? null : clean(h.error),
    checks: h.checks.map((c) => ({ ...c, evidence: clean(c.evidence), fix: c.fix === null ? null : clean(c.fix) })),
  }));
}
