/**
 * The security audit's vocabulary, shared by the checks, the job that runs them, the store and the page.
 * A check is pass, fail or unknown: unknown whenever the panel could not see for itself (never a guess).
 */

export type AuditVerdict = "pass" | "fail" | "unknown";

/** The page's sections, in the go-live plan's order. */
export const AUDIT_AREAS = ["ssh", "firewall", "ports", "cache", "database", "env", "tls"] as const;
export type AuditArea = (typeof AUDIT_AREAS)[number];

export const AUDIT_AREA_LABELS: Readonly<Record<AuditArea, string>> = {
  ssh: "SSH",
  firewall: "Firewall",
  ports: "Published ports",
  cache: "Cache",
  database: "Database",
  env: "App env",
  tls: "TLS and proxy",
};

/** Fixes the panel can apply itself, after showing what it will change and a confirmation (audited). */
export const AUDIT_FIXES = ["remove-seeded-accounts"] as const;
export type AuditFixId = (typeof AUDIT_FIXES)[number];

export interface AuditCheck {
  /** Stable across runs (history, regressions, accepted risks): e.g. "ssh-password-auth", "ports-published:3306". */
  id: string;
  area: AuditArea;
  /** What is checked, as the operator would say it: "Password authentication is off". */
  label: string;
  verdict: AuditVerdict;
  /** What the panel saw (a few lines of the tool's output), secrets redacted. */
  evidence: string;
  /** Why it matters, one or two sentences. */
  why: string;
  /** How to fix it (commands or steps); null on pass. */
  fix: string | null;
  /** A fix the panel offers as a button; null when there is none. */
  panelFix: AuditFixId | null;
  /** Set when an admin accepted this failure with a reason (it still counts as failed in the score). */
  acceptedRisk?: { reason: string; by: string; at: string } | null;
}

export interface HostAuditResult {
  hostId: string;
  host: string;
  roles: string[];
  checks: AuditCheck[];
  /** Why the host could not be audited at all (unreachable, key not pinned…); its checks are then unknown. */
  error: string | null;
  durationMs: number;
}

export interface AuditScore {
  passed: number;
  failed: number;
  unknown: number;
  /** passed / (passed + failed) in percent; null when nothing could be judged. */
  score: number | null;
}

export function scoreOf(checks: readonly Pick<AuditCheck, "verdict">[]): AuditScore {
  const passed = checks.filter((c) => c.verdict === "pass").length;
  const failed = checks.filter((c) => c.verdict === "fail").length;
  const unknown = checks.length - passed - failed;
  return { passed, failed, unknown, score: passed + failed === 0 ? null : Math.round((100 * passed) / (passed + failed)) };
}

/** One check whose verdict differs from the run before. */
export interface AuditChange {
  host: string;
  checkId: string;
  label: string;
  from: AuditVerdict | "new";
  to: AuditVerdict;
}
