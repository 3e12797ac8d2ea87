import type { AuditChange, AuditFixId, HostAuditResult } from "@/server/domain/security-audit";

export interface AuditRunSummary {
  id: string;
  trigger: string;
  jobId: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  score: number | null;
  passed: number;
  failed: number;
  unknown: number;
}

export interface AcceptedRiskView {
  id: string;
  rule: string;
  subject: string;
  reason: string;
  acceptedBy: string;
  createdAt: Date;
}

export interface SecurityOverview {
  stack: string;
  /** The newest finished run, with every host's checks; null before the first. */
  latest: (AuditRunSummary & { results: HostAuditResult[]; changes: AuditChange[] }) | null;
  /** Newest first, at most 30 runs, for the score chart and the history table. */
  history: AuditRunSummary[];
  /** The job of a run in progress, to follow its log. */
  runningJobId: string | null;
  acceptedRisks: AcceptedRiskView[];
}

/** One stack's light on the dashboard. */
export interface SecurityLight {
  stack: string;
  score: number | null;
  failed: number;
  unknown: number;
  at: Date | null;
}

export interface FixPreview {
  host: string;
  fix: AuditFixId;
  /** What the fix will change, line by line, before anything is done. */
  willChange: string[];
}

export interface FixOutcome {
  host: string;
  fix: AuditFixId;
  /** What it changed. */
  changed: string[];
  /** The safety backup taken first, when the fix changes data. */
  backupId: string | null;
  /** The job that did it (its log says each step). */
  jobId: string;
}
