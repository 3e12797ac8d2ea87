"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api, type RouterOutputs } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { formatAge as age } from "@/components/ui/format-age";
import { OffsiteBadge } from "@/components/offsite/offsite-badge";

type Backup = RouterOutputs["backups"]["list"][number];

const STATUS_TONE = { good: "success", failed: "danger", running: "info" } as const;

function formatSize(n: number | null): string {
  if (n == null) return "–";
  return n < 1_000_000 ? `${(n / 1000).toFixed(1)} kB` : `${(n / 1_000_000).toFixed(1)} MB`;
}

const DRILL_TONE = { passed: "success", failed: "danger", running: "info", interrupted: "warning" } as const;

function DrillBadge({ b }: { b: Backup }) {
  if (!b.drillStatus) return null;
  return (
    <div className="mt-1" data-testid="backup-drill" data-status={b.drillStatus}>
      <Badge tone={DRILL_TONE[b.drillStatus]} title={b.drillError ?? undefined}>
        drill {b.drillStatus}
      </Badge>
      {b.drillAt ? <span className="ml-2 text-xs text-muted">{age(b.drillAt)}</span> : null}
      {b.drillError ? (
        <div className="max-w-xs text-xs text-danger [overflow-wrap:anywhere]" data-testid="backup-drill-error">
          {b.drillError}
        </div>
      ) : null}
    </div>
  );
}

/** What a backup holds: the database dump, or the uploads of one app host and how many files. */
function BackupSubject({ b }: { b: Backup }) {
  if (b.kind !== "uploads") {
    return (
      <span className="text-sm">
        database{b.database ? <div className="text-xs text-muted">{b.database}</div> : null}
        {b.serverVersion ? (
          <div className="whitespace-nowrap text-xs text-muted" title={`Server version at backup time: ${b.serverVersion}`}>
            {b.serverVersion.split("-").slice(0, 2).join("-")}
          </div>
        ) : null}
      </span>
    );
  }
  const files = b.rowCounts.files;
  return (
    <span className="text-sm">
      uploads
      <div className="text-xs text-muted" data-testid="backup-host">
        {b.hostName ?? "–"}
      </div>
      {typeof files === "number" ? (
        <div className="text-xs text-muted" data-testid="backup-files">
          {files} files
        </div>
      ) : null}
    </span>
  );
}

/** What the restore dialog says and asks to be typed: the database's name, or the uploads' host. */
function restoreWording(b: Backup | null, stack: string) {
  const taken = b ? new Date(b.createdAt).toLocaleString() : "";
  if (b?.kind === "uploads") {
    return {
      title: `Restore the uploads on ${b.hostName ?? "the app host"}?`,
      description: `Extracts the archive from ${taken} into /srv/pixelfox/uploads on ${b.hostName ?? "its host"}: files it holds come back, files newer on the host are kept, nothing is deleted. A safety archive of the current uploads is taken first. Type the host's name to confirm.`,
      requireText: b.hostName ?? stack,
    };
  }
  return {
    title: "Restore this backup into the live database?",
    description: `Replaces the tables of ${b?.database ?? "the database"} with the backup from ${taken}. A safety backup is taken first. Type the database name to confirm.`,
    requireText: b?.database ?? stack,
  };
}

/** Backups of a stack: database dumps and app-host uploads archives; back up now, download, restore (typed confirmation), delete. */
export function BackupsCard({ stack, onStarted }: { stack: string; onStarted: (jobId: string) => void }) {
  const canDeploy = useCan("DEPLOYER");
  const isAdmin = useCan("ADMIN");
  const utils = api.useUtils();
  const list = api.backups.list.useQuery({ stack }, { refetchInterval: 5_000 });
  const create = api.backups.create.useMutation();
  const createUploads = api.backups.createUploads.useMutation();
  const restore = api.backups.restore.useMutation();
  const remove = api.backups.delete.useMutation();
  const drill = api.backups.drill.useMutation();
  const [restoring, setRestoring] = useState<Backup | null>(null);
  const [deleting, setDeleting] = useState<Backup | null>(null);

  async function backUpNow() {
    try {
      const res = await create.mutateAsync({ stack });
      toast.success("Backup started");
      onStarted(res.jobId);
    } catch (err) {
      toast.error(messageOf(err));
    }
  }

  async function backUpUploads() {
    try {
      const res = await createUploads.mutateAsync({ stack });
      toast.success("Uploads backup started");
      onStarted(res.jobId);
    } catch (err) {
      toast.error(messageOf(err));
    }
  }

  async function drillNow(b: Backup) {
    try {
      const res = await drill.mutateAsync({ id: b.id });
      toast.success("Restore drill started");
      onStarted(res.jobId);
    } catch (err) {
      toast.error(messageOf(err));
    }
  }

  return (
    <Card>
      <CardHeader
        actions={
          canDeploy ? (
            <div className="flex gap-2">
              <Button size="sm" variant="secondary" onClick={() => void backUpUploads()} loading={createUploads.isPending}>
                Back up uploads
              </Button>
              <Button size="sm" onClick={() => void backUpNow()} loading={create.isPending}>
                Back up now
              </Button>
            </div>
          ) : null
        }
      >
        <CardTitle>Backups</CardTitle>
      </CardHeader>
      <CardContent>
        {list.data?.length ? (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Taken</TableHead>
                <TableHead>What</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Size · sha256</TableHead>
                <TableHead />
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data.map((b) => (
                <TableRow key={b.id} data-testid={`backup-${b.id}`}>
                  <TableCell title={new Date(b.createdAt).toISOString()}>
                    {age(b.createdAt)}
                    <div className="text-xs text-muted">
                      {b.reason} · {b.actorLabel}
                    </div>
                  </TableCell>
                  <TableCell data-testid="backup-kind" data-kind={b.kind}>
                    <BackupSubject b={b} />
                  </TableCell>
                  <TableCell>
                    <Badge tone={STATUS_TONE[b.status]}>{b.status}</Badge>
                    {b.verified ? (
                      <span className="ml-2 text-xs">verified</span>
                    ) : b.status === "good" ? (
                      <span className="ml-2 text-xs text-danger">not verified</span>
                    ) : null}
                    {b.encrypted ? (
                      <Badge
                        className="ml-2"
                        data-testid="backup-encrypted"
                        title="Stored encrypted at rest (AES-256-GCM); downloads and restores decrypt it"
                      >
                        encrypted
                      </Badge>
                    ) : null}
                    {b.error ? (
                      <div className="max-w-xs text-xs text-danger [overflow-wrap:anywhere]" data-testid="backup-error">
                        {b.error}
                      </div>
                    ) : null}
                    <DrillBadge b={b} />
                    <OffsiteBadge b={b} onStarted={onStarted} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {formatSize(b.sizeBytes)}
                    <div className="font-mono text-xs text-muted" title={b.sha256 ?? ""} data-testid="backup-sha256">
                      {b.sha256 ? `${b.sha256.slice(0, 12)}…` : "–"}
                    </div>
                  </TableCell>
                  <TableCell>
                    <div className="flex items-center justify-end gap-2 whitespace-nowrap">
                      {canDeploy && b.status === "good" && b.kind === "mysql" ? (
                        <Button size="sm" variant="secondary" onClick={() => void drillNow(b)} disabled={b.drillStatus === "running"}>
                          Drill
                        </Button>
                      ) : null}
                      {isAdmin && b.status === "good" ? (
                        <>
                          <a className="text-sm text-accent-text underline" href={`/api/backups/${b.id}/download`} download>
                            Download
                          </a>
                          <Button size="sm" variant="secondary" onClick={() => setRestoring(b)}>
                            Restore
                          </Button>
                        </>
                      ) : null}
                      {isAdmin && b.status !== "running" ? (
                        <Button size="sm" variant="ghost" onClick={() => setDeleting(b)}>
                          Delete
                        </Button>
                      ) : null}
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : (
          <EmptyState
            title="No backups yet"
            description="Back up now (the database) or back up uploads (each app host's /srv/pixelfox/uploads): the stream goes to the panel's store and is verified before it counts as good."
          />
        )}
      </CardContent>
      <ConfirmDialog
        open={restoring !== null}
        onOpenChange={(open) => {
          if (!open) setRestoring(null);
        }}
        {...restoreWording(restoring, stack)}
        confirmLabel="Restore"
        tone="danger"
        onConfirm={async () => {
          if (!restoring) return;
          const res = await restore.mutateAsync({ id: restoring.id });
          toast.success("Restore started");
          onStarted(res.jobId);
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => {
          if (!open) setDeleting(null);
        }}
        title="Delete this backup?"
        description="The file is removed from the backup store. This cannot be undone."
        confirmLabel="Delete"
        tone="danger"
        onConfirm={async () => {
          if (!deleting) return;
          const { warning } = await remove.mutateAsync({ id: deleting.id });
          if (warning) toast.warning(`Backup deleted here. ${warning}`);
          else toast.success(deleting.offsiteStatus === "uploaded" ? "Backup deleted, with its off-site copy" : "Backup deleted");
          void utils.backups.list.invalidate();
        }}
      />
    </Card>
  );
}
