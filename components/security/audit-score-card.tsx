import { Timestamp } from "@/components/audit/timestamp";
import { Card, CardContent } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { toneText } from "@/components/ui/tone";
import { formatScore, lightOf } from "./security-look";

interface RunSummary {
  score: number | null;
  passed: number;
  failed: number;
  unknown: number;
  trigger: string;
  finishedAt: Date | null;
}

/** The stack's score from the last run, its counts and when it finished. */
export function AuditScoreCard({ run, hostCount }: { run: RunSummary; hostCount: number }) {
  const look = lightOf({ ...run, at: run.finishedAt });
  return (
    <Card aria-label="Stack score">
      <CardContent className="flex flex-wrap items-center gap-x-8 gap-y-3">
        <p className="grid">
          <span className="text-xs text-muted">Score</span>
          <span className={cn("text-4xl font-semibold tabular-nums", toneText[look.tone])}>{formatScore(run.score)}</span>
        </p>
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
          <Count label="passed" value={run.passed} className="text-success" />
          <Count label="failed" value={run.failed} className="text-danger" />
          <Count label="unknown" value={run.unknown} className="text-warning" />
        </dl>
        <p className="text-xs text-muted">
          {hostCount} {hostCount === 1 ? "host" : "hosts"} · last run ({run.trigger}) finished <Timestamp value={run.finishedAt} />
          <br />
          Score = passed ÷ (passed + failed); unknown checks are not counted as passed, accepted risks still count as failed.
        </p>
      </CardContent>
    </Card>
  );
}

function Count({ label, value, className }: { label: string; value: number; className: string }) {
  return (
    // The term follows the figure on screen ("3 failed"); dt stays first for the description list.
    <div className="flex flex-row-reverse items-baseline justify-end gap-1.5">
      <dt className="text-muted">{label}</dt>
      <dd className={cn("text-lg font-semibold tabular-nums", value > 0 ? className : "text-muted")}>{value}</dd>
    </div>
  );
}
