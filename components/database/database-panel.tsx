"use client";

import { useState } from "react";
import { JobView } from "@/components/jobs/job-view";
import { MigrationsCard } from "@/components/migrations/migrations-card";
import { PageHeader } from "@/components/ui/page-header";
import { api } from "@/trpc/react";
import { BackupHealth } from "@/components/backups/backup-health";
import { BackupsCard } from "@/components/backups/backups-card";
import { OffsiteCard } from "@/components/offsite/offsite-card";
import { EncryptionToggle } from "@/components/backups/encryption-toggle";
import { SchedulesCard } from "@/components/schedules/schedules-card";

/** The database page of one stack: migration status and actions, backups, and the job being run. */
export function DatabasePanel({ stack }: { stack: string }) {
  const utils = api.useUtils();
  const [jobId, setJobId] = useState<string | null>(null);
  const [migrationsRefresh, setMigrationsRefresh] = useState(0);

  function onFinished() {
    setMigrationsRefresh((n) => n + 1);
    void utils.backups.list.invalidate();
    void utils.backups.health.invalidate();
  }

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        eyebrow={`Stack ${stack}`}
        title="Database"
        description="Schema migrations (golang-migrate), verified MySQL backups and uploads archives."
      />
      {jobId ? <JobView key={jobId} jobId={jobId} onFinished={onFinished} /> : null}
      <BackupHealth stack={stack} />
      <MigrationsCard stack={stack} refreshKey={migrationsRefresh} onStarted={setJobId} />
      <BackupsCard
        stack={stack}
        onStarted={(id) => {
          setJobId(id);
          void utils.backups.list.invalidate();
        }}
      />
      <SchedulesCard stack={stack} />
      <OffsiteCard stack={stack} />
      <EncryptionToggle stack={stack} />
    </div>
  );
}
