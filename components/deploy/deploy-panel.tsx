"use client";

import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { JobView } from "@/components/jobs/job-view";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { DeployForm } from "./deploy-form";
import { DeploymentHistory } from "./deployment-history";
import { LiveStateCard } from "./live-state-card";

/** The deploy page of one stack: current version, tag picker, live job, one-click rollback, history. */
export function DeployPanel({ stack }: { stack: string }) {
  const canDeploy = useCan("DEPLOYER");
  const utils = api.useUtils();
  const [jobId, setJobId] = useState<string | null>(null);
  const [isRollbackOpen, setRollbackOpen] = useState(false);
  const lock = api.deploy.lock.useQuery({ stack }, { refetchInterval: 3_000 });
  const history = api.deploy.history.useQuery({ stack, limit: 50 }, { refetchInterval: jobId ? 3_000 : false });
  const rollback = api.deploy.rollback.useMutation();
  const current = history.data?.find((d) => d.status === "succeeded");
  const activeJob = jobId ?? lock.data?.jobId ?? null;

  function onStarted(id: string) {
    setJobId(id);
    void utils.deploy.lock.invalidate();
    void utils.deploy.history.invalidate();
  }

  async function rollbackToPrevious() {
    const res = await rollback.mutateAsync({ stack });
    toast.success("Rollback started");
    onStarted(res.jobId);
  }

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        eyebrow={`Stack ${stack}`}
        title="Deploy"
        description={
          current
            ? `Running ${current.tag} since ${new Date(current.endedAt ?? current.startedAt).toLocaleString()}`
            : "No deployment recorded by the panel yet."
        }
        actions={
          canDeploy && current ? (
            <Button variant="secondary" onClick={() => setRollbackOpen(true)}>
              Roll back
            </Button>
          ) : null
        }
      />
      {lock.data ? (
        <Alert tone="info" title="A deploy is running">
          Started by {lock.data.holderLabel} at {new Date(lock.data.acquiredAt).toLocaleTimeString()} ·{" "}
          <Link className="underline" href={`/jobs/${lock.data.jobId}`}>
            open its job
          </Link>
        </Alert>
      ) : null}
      <LiveStateCard stack={stack} />
      <Card>
        <CardHeader>
          <CardTitle>New deployment</CardTitle>
        </CardHeader>
        <CardContent>
          <DeployForm stack={stack} onStarted={onStarted} />
        </CardContent>
      </Card>
      {activeJob ? (
        <JobView
          key={activeJob}
          jobId={activeJob}
          onFinished={() => {
            void utils.deploy.history.invalidate();
            void utils.deploy.lock.invalidate();
            void utils.deploy.live.invalidate();
          }}
        />
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>History</CardTitle>
        </CardHeader>
        <CardContent>
          {history.data?.length ? (
            <DeploymentHistory stack={stack} rows={history.data} onStarted={onStarted} />
          ) : (
            <EmptyState title="No deployments yet" description="Deployments started here or through the API appear in this list." />
          )}
        </CardContent>
      </Card>
      <ConfirmDialog
        open={isRollbackOpen}
        onOpenChange={setRollbackOpen}
        title={`Roll back ${stack}?`}
        description={`Returns to the version before ${current?.tag ?? "the current one"}, behind the same health gate.`}
        confirmLabel="Roll back"
        tone="danger"
        onConfirm={() =>
          rollbackToPrevious().catch((err: unknown) => {
            toast.error(messageOf(err));
            throw err;
          })
        }
      />
    </div>
  );
}
