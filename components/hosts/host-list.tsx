"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCan } from "@/components/auth/role-context";
import { Timestamp } from "@/components/audit/timestamp";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { IconServer } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { StatusDot } from "@/components/ui/status-dot";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api } from "@/trpc/react";
import { HostKeyBadge, type HostView } from "./host-status";

export function HostList() {
  const router = useRouter();
  const isAdmin = useCan("ADMIN");
  const hosts = api.host.list.useQuery();
  const addButton = isAdmin ? (
    <Button type="button" onClick={() => router.push("/hosts/new")}>
      Add host
    </Button>
  ) : null;

  return (
    <>
      <PageHeader title="Hosts" description="The VPS hosts the panel deploys to, reached over SSH." actions={addButton} />
      {hosts.isPending ? (
        <LoadingBlock label="Loading hosts" />
      ) : hosts.isError ? (
        <LoadError error={hosts.error} onRetry={() => void hosts.refetch()} title="Could not load hosts" />
      ) : hosts.data.length === 0 ? (
        <EmptyState
          icon={<IconServer className="size-5" />}
          title="No hosts yet"
          description={
            isAdmin ? "Add a host with its SSH address and key, then verify its host key." : "An admin has not added any host yet."
          }
          action={addButton}
        />
      ) : (
        <HostTable hosts={hosts.data} />
      )}
    </>
  );
}

function HostTable({ hosts }: { hosts: HostView[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Address</TableHead>
          <TableHead>Roles</TableHead>
          <TableHead>Host key</TableHead>
          <TableHead>Last check</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {hosts.map((host) => (
          <TableRow key={host.id}>
            <TableCell>
              <Link href={`/hosts/${host.id}`} className="font-medium text-accent-text hover:underline">
                {host.name}
              </Link>
            </TableCell>
            <TableCell className="font-mono text-[13px]">
              {host.address}:{host.sshPort}
            </TableCell>
            <TableCell>
              <div className="flex flex-wrap gap-1">
                {host.roles.length === 0 ? <span className="text-muted">—</span> : null}
                {host.roles.map((role) => (
                  <Badge key={role}>{role}</Badge>
                ))}
              </div>
            </TableCell>
            <TableCell>
              <HostKeyBadge state={host.hostKeyState} />
            </TableCell>
            <TableCell>
              <LastCheck host={host} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function LastCheck({ host }: { host: HostView }) {
  if (host.lastCheckOk === null) return <StatusDot tone="neutral" label="not checked" showLabel />;
  return (
    <span className="inline-flex items-center gap-2" title={host.lastError ?? undefined}>
      <StatusDot tone={host.lastCheckOk ? "success" : "danger"} label={host.lastCheckOk ? "ok" : "failed"} showLabel />
      <span className="text-xs text-muted">
        <Timestamp value={host.lastCheckAt} />
      </span>
    </span>
  );
}
