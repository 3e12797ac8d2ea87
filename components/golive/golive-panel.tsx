"use client";

import Link from "next/link";
import { useState } from "react";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { JobView } from "@/components/jobs/job-view";
import { PageHeader } from "@/components/ui/page-header";
import { api } from "@/trpc/react";
import { AdoptCard } from "./adopt-card";
import { DecommissionCard } from "./decommission-card";
import { ExportCard } from "./export-card";
import { GoLiveCard } from "./go-live-card";
import { GoLiveSettingsCard } from "./golive-settings-card";
import { PreflightCard } from "./preflight-card";

/** The go-live page of a stack: settings, preflight, go live (or adopt), the running job, export, decommission. */
export function GoLivePanel({ stack }: { stack: string }) {
  const [jobId, setJobId] = useState<string | null>(null);
  const detail = api.stack.get.useQuery({ idOrName: stack });
  const utils = api.useUtils();
  if (detail.isPending) return <LoadingBlock label="Loading stack" />;
  if (detail.isError) return <LoadError error={detail.error} onRetry={() => void detail.refetch()} title="Could not load this stack" />;
  const { services } = detail.data;
  const hosts = [...new Set(services.map((s) => s.hostName))].sort();
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        eyebrow={
          <Link href={`/stacks/${stack}`} className="hover:underline">
            Stack {stack}
          </Link>
        }
        title="Go live"
        description="Bring bare hosts into service as the go-live plan lays them out, or take over a stack its templates set up."
      />
      <PreflightCard stack={stack} />
      <GoLiveCard stack={stack} onStarted={setJobId} />
      <AdoptCard stack={stack} onStarted={setJobId} />
      {jobId ? <JobView key={jobId} jobId={jobId} startedHere onFinished={() => void utils.stack.get.invalidate()} /> : null}
      <GoLiveSettingsCard stack={stack} />
      <ExportCard stack={stack} hosts={hosts} />
      <DecommissionCard services={services} onStarted={setJobId} />
    </div>
  );
}
