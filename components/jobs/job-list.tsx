"use client";

import Link from "next/link";
import { Timestamp } from "@/components/audit/timestamp";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { isFinishedStatus, type JobSummary } from "@/server/jobs/types";
import { api } from "@/trpc/react";
import { formatDurationMs, JobStatusBadge } from "./job-status";

/** Recent jobs, newest first; refreshes every few seconds while one is still running. */
export function JobList({ stackId, limit = 100 }: { stackId?: string; limit?: number }) {
  const jobs = api.job.list.useQuery(
    { stackId, limit },
    { refetchInterval: (query) => (query.state.data?.some((j) => !isFinishedStatus(j.status)) ? 3_000 : 15_000) },
  );
  return (
    <>
      <PageHeader title="Jobs" description="Deploys, rollbacks and other long operations the panel ran, with their logs." />
      {jobs.isPending ? (
        <LoadingBlock label="Loading jobs" />
      ) : jobs.isError ? (
        <LoadError error={jobs.error} onRetry={() => void jobs.refetch()} title="Could not load jobs" />
      ) : jobs.data.length === 0 ? (
        <EmptyState
          title="No jobs yet"
          description="A deploy, rollback or backup started from the panel shows up here with its live log."
        />
      ) : (
        <JobTable jobs={jobs.data} />
      )}
    </>
  );
}

function JobTable({ jobs }: { jobs: JobSummary[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Job</TableHead>
          <TableHead>Kind</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>By</TableHead>
          <TableHead>Started</TableHead>
          <TableHead className="text-right">Duration</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {jobs.map((job) => (
          <TableRow key={job.id}>
            <TableCell>
              <Link href={`/jobs/${job.id}`} className="font-medium text-accent-text hover:underline">
                {job.title}
              </Link>
            </TableCell>
            <TableCell className="text-muted">{job.kind}</TableCell>
            <TableCell>
              <JobStatusBadge status={job.status} isCancelling={job.cancelRequested} />
            </TableCell>
            <TableCell className="text-muted">{job.actorLabel}</TableCell>
            <TableCell>
              <Timestamp value={job.startedAt ?? job.createdAt} />
            </TableCell>
            <TableCell className="text-right tabular-nums text-muted">
              {isFinishedStatus(job.status) ? formatDurationMs(job.durationMs) : "running…"}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
