import type { AuditArea, AuditCheck, AuditVerdict } from "@/server/domain/security-audit";

/** Builds a check; `fix` is dropped on pass, so a green item never shows a command to run. */
export function check(
  area: AuditArea,
  id: string,
  label: string,
  verdict: AuditVerdict,
  evidence: string,
  why: string,
  fix: string | null = null,
  panelFix: AuditCheck["panelFix"] = null,
): AuditCheck {
  return { id, area, label, verdict, evidence, why, fix: verdict === "pass" ? null : fix, panelFix: verdict === "fail" ? panelFix : null };
}
