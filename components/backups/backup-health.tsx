"use client";

import { Card, CardContent } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { StatusDot } from "@/components/ui/status-dot";
import type { OffsiteHealth } from "@/server/services/offsite/offsite-health";
import { api } from "@/trpc/react";
import { formatAge, formatSpan } from "@/components/ui/format-age";
import { describeOffsite } from "@/components/offsite/offsite-health-text";

function Age({
  label,
  at,
  isStale,
  maxAgeMs,
  testId,
}: {
  label: string;
  at: Date | null;
  isStale: boolean;
  maxAgeMs: number;
  testId: string;
}) {
  return (
    <div className="flex flex-col gap-0.5" data-testid={testId} data-stale={isStale ? "true" : "false"}>
      <span className="text-xs text-muted">{label}</span>
      <span className={cn("text-lg font-semibold", isStale ? "text-danger" : "text-success")}>{at ? formatAge(at) : "never"}</span>
      <span className="text-xs text-muted">late after {formatSpan(maxAgeMs)}</span>
    </div>
  );
}

function Offsite({ h }: { h: OffsiteHealth }) {
  const d = describeOffsite(h);
  return (
    <div className="flex max-w-md flex-col gap-0.5" data-testid="offsite-health" data-state={h.state}>
      <span className="text-xs text-muted">Off-site copy</span>
      <span className="flex items-center gap-2 text-lg font-semibold">
        <StatusDot tone={d.tone} label={d.label} />
        {d.label}
      </span>
      <span className="text-xs text-muted">{d.text}</span>
    </div>
  );
}

/** Ages of the last good backup and of the last passing drill, red when older than the schedule allows. */
export function BackupHealth({ stack }: { stack: string }) {
  const health = api.backups.health.useQuery({ stack }, { refetchInterval: 5_000 });
  const h = health.data;
  if (!h) return null;
  return (
    <Card>
      <CardContent className="flex gap-12">
        <Age
          label="Last good backup"
          at={h.lastGoodBackupAt}
          isStale={h.isBackupStale}
          maxAgeMs={h.backupMaxAgeMs}
          testId="last-good-backup"
        />
        <Age
          label="Last passing drill"
          at={h.lastPassingDrillAt}
          isStale={h.isDrillStale}
          maxAgeMs={h.drillMaxAgeMs}
          testId="last-passing-drill"
        />
        <Offsite h={h.offsite} />
      </CardContent>
    </Card>
  );
}
