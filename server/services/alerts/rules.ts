import { db } from "@/server/db";

import { RULE_KINDS, type RuleKind } from "@/server/domain/alerts";

export { RULE_KINDS, type RuleKind };

export interface RuleView {
  kind: RuleKind;
  label: string;
  /** What `threshold` means for this rule, or null when it has none. */
  unit: "%" | "days" | "hours" | null;
  enabled: boolean;
  threshold: number;
  consecutive: number;
  repeatMinutes: number;
}

const DEFAULTS: Record<RuleKind, Omit<RuleView, "kind" | "enabled">> = {
  down: { label: "Check down", unit: null, threshold: 0, consecutive: 2, repeatMinutes: 60 },
  disk: { label: "Disk usage above", unit: "%", threshold: 90, consecutive: 1, repeatMinutes: 240 },
  inodes: { label: "Inode usage above", unit: "%", threshold: 90, consecutive: 1, repeatMinutes: 240 },
  cert: { label: "TLS certificate expires in less than", unit: "days", threshold: 14, consecutive: 1, repeatMinutes: 1440 },
  hostkey: { label: "SSH host key changed", unit: null, threshold: 0, consecutive: 1, repeatMinutes: 60 },
  deploy_failed: { label: "Last deployment failed", unit: null, threshold: 0, consecutive: 1, repeatMinutes: 0 },
  // The plan asks for nightly dumps: a day plus two hours of slack.
  backup_stale: { label: "Last good backup older than", unit: "hours", threshold: 26, consecutive: 1, repeatMinutes: 720 },
  // Fires on the first run where a check that passed fails; recovers when it passes again.
  audit_regressed: { label: "Security audit check regressed", unit: null, threshold: 0, consecutive: 1, repeatMinutes: 1440 },
};

/** All rules, with defaults for those nobody changed yet. */
export async function listAlertRules(): Promise<RuleView[]> {
  const rows = new Map((await db.alertRule.findMany()).map((r) => [r.kind, r]));
  return RULE_KINDS.map((kind) => {
    const d = DEFAULTS[kind];
    const row = rows.get(kind);
    return row
      ? {
          kind,
          label: d.label,
          unit: d.unit,
          enabled: row.enabled,
          threshold: row.threshold,
          consecutive: row.consecutive,
          repeatMinutes: row.repeatMinutes,
        }
      : { kind, enabled: true, ...d };
  });
}

/** Save one rule (validated by the caller's schema). */
export async function updateAlertRule(input: {
  kind: RuleKind;
  enabled: boolean;
  threshold: number;
  consecutive: number;
  repeatMinutes: number;
}): Promise<RuleView[]> {
  const data = { enabled: input.enabled, threshold: input.threshold, consecutive: input.consecutive, repeatMinutes: input.repeatMinutes };
  await db.alertRule.upsert({ where: { kind: input.kind }, create: { kind: input.kind, ...data }, update: data });
  return listAlertRules();
}
