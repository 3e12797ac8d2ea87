"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { formatDuration } from "@/components/audit/timestamp";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { messageOf } from "@/trpc/errors";
import { api } from "@/trpc/react";
import {
  ACTION_LABELS,
  actionsForState,
  ContainerHealthBadge,
  ContainerStateBadge,
  formatPorts,
  type ContainerAction,
  type ContainerSummary,
} from "./container-state";
import type { HostView } from "./host-status";

type PendingAction = { container: string; action: ContainerAction };

/** Docker containers on the host, with start/stop/restart for deployers. */
export function ContainersCard({ host }: { host: HostView }) {
  const isPinned = host.hostKeyState === "PINNED";
  const containers = api.host.containers.useQuery({ id: host.id }, { enabled: isPinned });
  const [pending, setPending] = useState<PendingAction | null>(null);

  // Listing failures (host down, socket missing) also toast, like every other remote error.
  useEffect(() => {
    if (containers.error) toast.error(messageOf(containers.error));
  }, [containers.error, containers.errorUpdatedAt]);

  return (
    <Card>
      <CardHeader
        actions={
          isPinned ? (
            <Button type="button" variant="secondary" size="sm" loading={containers.isFetching} onClick={() => void containers.refetch()}>
              Refresh
            </Button>
          ) : null
        }
      >
        <CardTitle>Containers</CardTitle>
        <CardDescription>Everything Docker runs on {host.name}, not only PixelFox.</CardDescription>
      </CardHeader>
      <CardContent>
        {!isPinned ? (
          <p className="text-sm text-muted">
            Containers are listed once the host key is {host.hostKeyState === "CHANGED" ? "re-pinned" : "verified and pinned"}: until then
            the panel does not connect to {host.name}.
          </p>
        ) : containers.isPending ? (
          <LoadingBlock label="Listing containers" />
        ) : containers.isError ? (
          <LoadError error={containers.error} onRetry={() => void containers.refetch()} title="Could not list containers" />
        ) : containers.data.length === 0 ? (
          <EmptyState title="No containers" description={`Docker on ${host.name} has no containers yet.`} />
        ) : (
          <ContainerTable hostId={host.id} containers={containers.data} onAction={setPending} />
        )}
      </CardContent>
      <ContainerActionDialog host={host} pending={pending} onClose={() => setPending(null)} />
    </Card>
  );
}

function ContainerTable({
  hostId,
  containers,
  onAction,
}: {
  hostId: string;
  containers: ContainerSummary[];
  onAction: (p: PendingAction) => void;
}) {
  const canOperate = useCan("DEPLOYER");
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Image</TableHead>
          <TableHead>State</TableHead>
          <TableHead>Health</TableHead>
          <TableHead>Uptime</TableHead>
          <TableHead>Ports</TableHead>
          {canOperate ? <TableHead className="text-right">Actions</TableHead> : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {containers.map((c) => {
          const ports = formatPorts(c.ports);
          return (
            <TableRow key={c.id}>
              <TableCell className="font-medium">
                {c.name}
                {c.canReadLogs ? (
                  <Link
                    className="ml-2 text-xs font-normal text-accent-text underline"
                    href={`/logs?host=${hostId}&container=${encodeURIComponent(c.name)}&follow=1`}
                  >
                    logs
                  </Link>
                ) : null}
              </TableCell>
              <TableCell className="max-w-72 truncate font-mono text-[13px]" title={`${c.image}:${c.tag ?? ""}`}>
                {c.image}
                {c.tag ? <span className="text-muted">:{c.tag}</span> : null}
              </TableCell>
              <TableCell title={c.status}>
                <ContainerStateBadge state={c.state} />
              </TableCell>
              <TableCell>
                <ContainerHealthBadge health={c.health} />
              </TableCell>
              <TableCell className="tabular-nums">
                {c.uptimeSeconds === undefined ? <span className="text-muted">—</span> : formatDuration(c.uptimeSeconds)}
              </TableCell>
              <TableCell className="font-mono text-xs">
                {ports.length === 0 ? <span className="text-muted">—</span> : ports.map((p) => <div key={p}>{p}</div>)}
              </TableCell>
              {canOperate ? (
                <TableCell>
                  <div className="flex justify-end gap-1.5">
                    {actionsForState(c.state).map((action) => (
                      <Button
                        key={action}
                        type="button"
                        size="sm"
                        variant={action === "stop" ? "danger" : "secondary"}
                        onClick={() => onAction({ container: c.name, action })}
                      >
                        {ACTION_LABELS[action].verb}
                      </Button>
                    ))}
                  </div>
                </TableCell>
              ) : null}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

function ContainerActionDialog({ host, pending, onClose }: { host: HostView; pending: PendingAction | null; onClose: () => void }) {
  const utils = api.useUtils();
  const run = api.host.containerAction.useMutation();
  const labels = pending ? ACTION_LABELS[pending.action] : null;

  async function handleConfirm() {
    if (!pending || !labels) return;
    try {
      await run.mutateAsync({ id: host.id, container: pending.container, action: pending.action });
    } catch (err) {
      toast.error(messageOf(err));
      throw err;
    }
    toast.success(`${pending.container} ${labels.done}`);
    void utils.host.containers.invalidate({ id: host.id });
    void utils.host.get.invalidate({ id: host.id });
  }

  return (
    <ConfirmDialog
      open={pending !== null}
      onOpenChange={(open) => (open ? undefined : onClose())}
      tone={pending?.action === "stop" ? "danger" : "default"}
      title={pending && labels ? `${labels.verb} ${pending.container} on ${host.name}?` : ""}
      description={
        pending?.action === "stop"
          ? "The container stays stopped until someone starts it; its service is down meanwhile."
          : pending?.action === "restart"
            ? "The service is briefly unavailable while the container restarts."
            : undefined
      }
      confirmLabel={labels?.verb ?? "Confirm"}
      onConfirm={handleConfirm}
    />
  );
}
