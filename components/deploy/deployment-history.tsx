"use client";

import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Tone } from "@/components/ui/tone";
import { api, type RouterOutputs } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";

type Deployment = RouterOutputs["deploy"]["history"][number];

const TONES: Record<string, Tone> = {
  succeeded: "success",
  failed: "danger",
  running: "info",
  cancelled: "neutral",
  interrupted: "warning",
};

function duration(ms: number | null) {
  if (ms == null) return "–";
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

/** Deployment history with a per-row "Roll back to this" for successful deployments. */
export function DeploymentHistory({ stack, rows, onStarted }: { stack: string; rows: Deployment[]; onStarted: (jobId: string) => void }) {
  const canDeploy = useCan("DEPLOYER");
  const [target, setTarget] = useState<Deployment | null>(null);
  const rollback = api.deploy.rollback.useMutation();

  async function confirmRollback() {
    if (!target) return;
    const res = await rollback.mutateAsync({ stack, deploymentId: target.id });
    toast.success(`Rollback to ${target.tag} started`);
    onStarted(res.jobId);
  }

  return (
    <>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Tag</TableHead>
            <TableHead>Result</TableHead>
            <TableHead>Previous</TableHead>
            <TableHead>Digest</TableHead>
            <TableHead>By</TableHead>
            <TableHead>Started</TableHead>
            <TableHead>Duration</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((d) => (
            <TableRow key={d.id}>
              <TableCell className="font-mono">
                {d.tag}
                {d.kind === "rollback" ? <Badge className="ml-2">rollback</Badge> : null}
              </TableCell>
              <TableCell>
                <Badge tone={TONES[d.status] ?? "neutral"}>{d.status}</Badge>
              </TableCell>
              <TableCell className="font-mono text-muted">{d.previousTag ?? "–"}</TableCell>
              <TableCell className="font-mono text-xs text-muted" title={d.digest ?? undefined}>
                {d.digest ? d.digest.slice(7, 19) : "–"}
              </TableCell>
              <TableCell className="text-muted">{d.actorLabel}</TableCell>
              <TableCell className="whitespace-nowrap text-muted">{new Date(d.startedAt).toLocaleString()}</TableCell>
              <TableCell className="text-muted">{duration(d.durationMs)}</TableCell>
              <TableCell className="flex items-center justify-end gap-2 whitespace-nowrap">
                <Link className="text-sm text-accent-text underline" href={`/jobs/${d.jobId}`}>
                  Job log
                </Link>
                {canDeploy && d.status === "succeeded" ? (
                  <Button size="sm" variant="ghost" onClick={() => setTarget(d)}>
                    Roll back to this
                  </Button>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <ConfirmDialog
        open={target !== null}
        onOpenChange={(open) => !open && setTarget(null)}
        title={`Roll back ${stack} to ${target?.tag ?? ""}?`}
        description="The retained container is started if it still exists, else the tag is deployed again; the same health gate applies and the current version keeps serving if it fails."
        confirmLabel="Roll back"
        tone="danger"
        onConfirm={() =>
          confirmRollback().catch((err: unknown) => {
            toast.error(messageOf(err));
            throw err;
          })
        }
      />
    </>
  );
}
