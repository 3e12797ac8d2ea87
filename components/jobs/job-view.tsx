"use client";

import Link from "next/link";
import { useCallback } from "react";
import { toast } from "sonner";
import { Timestamp } from "@/components/audit/timestamp";
import { LoadingBlock } from "@/components/dashboard/page-states";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ProgressBar } from "@/components/ui/progress-bar";
import { isFinishedStatus } from "@/server/jobs/types";
import { api } from "@/trpc/react";
import { CancelJobButton } from "./cancel-job-button";
import { JobLog } from "./job-log";
import { formatDurationMs, JobStatusBadge, jobStatusTone } from "./job-status";
import { JobSteps } from "./job-steps";
import { type JobSnapshot, type StreamConnection, useJobStream } from "./use-job-stream";

export type JobViewProps = {
  jobId: string;
  /** Called once when the job ends while the view is open (after the outcome toast). */
  onFinished?: (job: JobSnapshot) => void;
  /** The page just started this job: its end is announced even if it ended before the stream connected. */
  startedHere?: boolean;
  /** The job page passes this to get a page header (h1); embedded views get a compact one. */
  asPage?: boolean;
};

/** One job, live: status, progress, steps, error, cancel, and the log as it is written. */
export function JobView({ jobId, onFinished, asPage = false, startedHere = false }: JobViewProps) {
  const utils = api.useUtils();
  const handleFinish = useCallback(
    (job: JobSnapshot) => {
      announceOutcome(job);
      void utils.job.invalidate();
      onFinished?.(job);
    },
    [utils, onFinished],
  );
  const { job, lines, connection } = useJobStream(jobId, handleFinish, startedHere);

  if (!job) {
    if (connection === "failed") {
      return (
        <Alert tone="danger" subtle title="Could not open this job">
          It may not exist, or your session ended: reload the page to sign in again.
        </Alert>
      );
    }
    return <LoadingBlock label="Loading job" />;
  }
  const isActive = !isFinishedStatus(job.status);
  return (
    <div className="grid gap-4" data-job-id={job.id} data-status={job.status}>
      <JobHeader job={job} asPage={asPage} isActive={isActive} />
      <ConnectionNotice connection={connection} isActive={isActive} />
      {job.error && job.status !== "succeeded" ? (
        <Alert tone={job.status === "failed" ? "danger" : "warning"} title={`${job.title} ${job.status}`}>
          {job.error}
        </Alert>
      ) : null}
      <Card>
        <CardContent className="grid gap-4">
          <ProgressBar
            label="Overall progress"
            value={job.progress * 100}
            showValue
            tone={isActive ? undefined : jobStatusTone(job.status)}
          />
          <JobSteps steps={job.steps} isJobActive={isActive} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader
          actions={
            <div className="flex gap-2">
              <Link href={`/logs?job=${encodeURIComponent(job.id)}`} className={buttonClasses({ variant: "ghost", size: "sm" })}>
                Open in log viewer
              </Link>
              <a
                href={`/api/jobs/${encodeURIComponent(job.id)}/log`}
                download
                className={buttonClasses({ variant: "secondary", size: "sm" })}
              >
                Download log
              </a>
            </div>
          }
        >
          <CardTitle>Log</CardTitle>
        </CardHeader>
        <JobLog lines={lines} hiddenLines={lines[0] ? lines[0].seq - 1 : 0} isWaiting={isActive} />
      </Card>
    </div>
  );
}

function JobHeader({ job, asPage, isActive }: { job: JobSnapshot; asPage: boolean; isActive: boolean }) {
  const actions = (
    <>
      <span data-testid="job-status" data-status={job.status}>
        <JobStatusBadge status={job.status} isCancelling={job.cancelRequested} />
      </span>
      {isActive ? <CancelJobButton jobId={job.id} title={job.title} isCancelling={job.cancelRequested} /> : null}
    </>
  );
  if (asPage) {
    return (
      <PageHeader
        className="mb-2"
        eyebrow={
          <Link href="/jobs" className="hover:underline">
            Jobs
          </Link>
        }
        title={job.title}
        description={<JobMeta job={job} />}
        actions={actions}
      />
    );
  }
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div className="grid min-w-0 gap-0.5">
        <h2 className="truncate text-base font-semibold text-fg">
          <Link href={`/jobs/${job.id}`} className="hover:underline">
            {job.title}
          </Link>
        </h2>
        <p className="text-xs text-muted">
          <JobMeta job={job} />
        </p>
      </div>
      <div className="flex items-center gap-2">{actions}</div>
    </div>
  );
}

function JobMeta({ job }: { job: JobSnapshot }) {
  const duration = job.startedAt && job.endedAt ? Date.parse(job.endedAt) - Date.parse(job.startedAt) : null;
  return (
    <span className="flex flex-wrap gap-x-3 gap-y-1">
      <span>{job.kind}</span>
      <span>by {job.actorLabel}</span>
      <span>
        started <Timestamp value={job.startedAt ?? job.createdAt} />
      </span>
      {duration !== null ? <span>took {formatDurationMs(duration)}</span> : null}
    </span>
  );
}

function ConnectionNotice({ connection, isActive }: { connection: StreamConnection; isActive: boolean }) {
  if (!isActive) return null;
  if (connection === "reconnecting") {
    return (
      <Alert tone="warning" subtle>
        Lost the live connection to the panel; reconnecting and resuming the log where it stopped…
      </Alert>
    );
  }
  if (connection === "failed") {
    return (
      <Alert tone="danger" subtle title="Live updates stopped">
        The panel refused the live stream (your session may have ended). Reload the page.
      </Alert>
    );
  }
  return null;
}

function announceOutcome(job: JobSnapshot): void {
  if (job.status === "succeeded") toast.success(`${job.title} succeeded`);
  else if (job.status === "failed") toast.error(`${job.title} failed`, { description: job.error ?? undefined });
  else if (job.status === "cancelled") toast.warning(`${job.title} was cancelled`, { description: job.error ?? undefined });
  else if (job.status === "interrupted") toast.warning(`${job.title} was interrupted`, { description: job.error ?? undefined });
}
