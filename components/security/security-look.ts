import type { Tone } from "@/components/ui/tone";
import {
  AUDIT_AREA_LABELS,
  AUDIT_AREAS,
  type AuditArea,
  type AuditChange,
  type AuditCheck,
  type AuditFixId,
  type AuditVerdict,
} from "@/server/domain/security-audit";

/** The dashboard light of one stack, as `security.lights` gives it. */
export interface LightInput {
  score: number | null;
  failed: number;
  unknown: number;
  at: Date | string | null;
}

export interface LightLook {
  tone: Tone;
  /** The colour in words, for screen readers and the dot's tooltip. */
  label: string;
  /** One line beside the stack's name. */
  text: string;
}

/**
 * Green only for a perfect score with nothing failed and nothing unknown: a check the panel could not
 * see never earns green. Amber for unknowns only or a score of 80 and more, red otherwise, grey before the first run.
 */
export function lightOf(light: LightInput): LightLook {
  if (!light.at) return { tone: "neutral", label: "not audited", text: "not audited yet" };
  const text = describeScore(light);
  if (light.failed === 0 && light.unknown === 0 && light.score === 100) return { tone: "success", label: "all checks pass", text };
  if (light.failed === 0) return { tone: "warning", label: "some checks unknown", text };
  if (light.score !== null && light.score >= 80) return { tone: "warning", label: "a few checks fail", text };
  return { tone: "danger", label: "checks fail", text };
}

function describeScore({ score, failed, unknown }: LightInput): string {
  const parts = [formatScore(score)];
  if (failed > 0) parts.push(`${failed} failed`);
  if (unknown > 0) parts.push(`${unknown} unknown`);
  return parts.join(" · ");
}

/** "85%", or "—" when nothing could be judged (every check unknown). */
export function formatScore(score: number | null): string {
  return score === null ? "—" : `${score}%`;
}

const VERDICT_RANK: Record<AuditVerdict, number> = { fail: 0, unknown: 1, pass: 2 };

export interface AreaGroup {
  area: AuditArea;
  label: string;
  checks: AuditCheck[];
}

/** A host's checks by area in the page's order, failing first, then unknown, then passing; empty areas left out. */
export function groupChecks(checks: readonly AuditCheck[], { hidePassing = false } = {}): AreaGroup[] {
  const shown = hidePassing ? checks.filter((c) => c.verdict !== "pass") : checks;
  return AUDIT_AREAS.map((area) => ({
    area,
    label: AUDIT_AREA_LABELS[area],
    checks: shown.filter((c) => c.area === area).sort((a, b) => VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict]),
  })).filter((g) => g.checks.length > 0);
}

/** A check that passed in the run before and fails now. */
export function isRegression(change: Pick<AuditChange, "from" | "to">): boolean {
  return change.from === "pass" && change.to === "fail";
}

/** How a change reads: worse in red or amber, better in green, anything else neutral. */
export function changeTone(change: Pick<AuditChange, "from" | "to">): Tone {
  if (change.to === "fail") return "danger";
  if (change.to === "unknown" && change.from === "pass") return "warning";
  if (change.to === "pass") return "success";
  return "neutral";
}

/** The fixes the panel applies itself, as the button and the dialog name them. */
export const FIX_LABELS: Readonly<Record<AuditFixId, string>> = {
  "remove-seeded-accounts": "Remove the seeded accounts",
};

/** The history's scores, oldest first, for the chart: finished runs only, an unjudged run as a gap. */
export function scoreSeries(history: readonly { finishedAt: Date | string | null; score: number | null }[]): [number[], (number | null)[]] {
  const finished = history
    .filter((r): r is { finishedAt: Date | string; score: number | null } => r.finishedAt !== null)
    .map((r) => ({ t: new Date(r.finishedAt).getTime() / 1000, score: r.score }))
    .sort((a, b) => a.t - b.t);
  return [finished.map((r) => r.t), finished.map((r) => r.score)];
}

/** An accepted risk as the page's list gives it. */
export interface LiveRisk {
  rule: string;
  subject: string;
  reason: string;
  acceptedBy: string;
  createdAt: Date | string;
}

/**
 * The risk accepted for this check on this host as of now: the live list wins over what the run recorded,
 * so a risk accepted or revoked since the run shows at once (the score keeps counting it as failed either way).
 */
export function riskOf(
  checkId: string,
  host: string,
  risks: readonly LiveRisk[],
): { reason: string; by: string; at: Date | string } | null {
  const risk = risks.find((r) => r.rule === checkId && r.subject === host);
  return risk ? { reason: risk.reason, by: risk.acceptedBy, at: risk.createdAt } : null;
}
