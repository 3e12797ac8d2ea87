"use client";

import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { JobView } from "@/components/jobs/job-view";
import type { JobSnapshot } from "@/components/jobs/use-job-stream";
import { PageHeader } from "@/components/ui/page-header";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { AcceptedRisksCard } from "./accepted-risks-card";
import { AuditChangesCard } from "./audit-changes-card";
import { AuditEmptyState } from "./audit-empty-state";
import { AuditHistoryCard } from "./audit-history-card";
import { AuditScoreCard } from "./audit-score-card";
import { HostAuditCard } from "./host-audit-card";
import { RunAuditButton } from "./run-audit-button";
import { formatScore } from "./security-look";

/** The security page of a stack: the last audit's score and evidence per host, the run in progress, changes, history, accepted risks. */
export function SecurityPanel({ stack }: { stack: string }) {
  const utils = api.useUtils();
  const overview = api.security.overview.useQuery({ stack });
  const [startedJobId, setStartedJobId] = useState<string | null>(null);
  const run = api.security.run.useMutation({
    onSuccess: ({ jobId }) => {
      setStartedJobId(jobId);
      void utils.security.overview.invalidate({ stack });
    },
    onError: (err) => toast.error(messageOf(err)),
  });
  const startRun = () => run.mutate({ stack });
  async function handleFinished(job: JobSnapshot) {
    // Keep the finished job's log on the page after the overview no longer names a running job.
    setStartedJobId(job.id);
    const fresh = await overview.refetch();
    void utils.security.lights.invalidate();
    const latest = fresh.data?.latest;
    if (latest) {
      toast.info(`Security score ${formatScore(latest.score)}`, {
        description: `${latest.passed} passed, ${latest.failed} failed, ${latest.unknown} unknown`,
      });
    }
  }

  if (overview.isPending) return <LoadingBlock label="Loading security audit" />;
  if (overview.isError)
    return <LoadError error={overview.error} onRetry={() => void overview.refetch()} title="Could not load the security audit" />;
  const { latest, history, acceptedRisks, runningJobId } = overview.data;
  const jobId = startedJobId ?? runningJobId;
  const runButton = <RunAuditButton onRun={startRun} isStarting={run.isPending} />;

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        eyebrow={
          <Link href={`/stacks/${stack}`} className="hover:underline">
            Stack {stack}
          </Link>
        }
        title="Security"
        description="A read-only audit of every host of the stack against the go-live plan's baseline: each check pass, fail or unknown, with what the panel saw."
        actions={latest ? runButton : undefined}
      />
      {jobId ? <JobView key={jobId} jobId={jobId} startedHere onFinished={(job) => void handleFinished(job)} /> : null}
      {latest ? (
        <>
          <AuditScoreCard run={latest} hostCount={latest.results.length} />
          <AuditChangesCard changes={latest.changes} isFirstRun={history.filter((r) => r.finishedAt).length <= 1} />
          {latest.results.map((result) => (
            <HostAuditCard key={result.hostId} stack={stack} result={result} risks={acceptedRisks} onRerun={startRun} />
          ))}
          <AuditHistoryCard history={history} />
        </>
      ) : (
        <AuditEmptyState action={runButton} />
      )}
      <AcceptedRisksCard stack={stack} risks={acceptedRisks} />
    </div>
  );
}
