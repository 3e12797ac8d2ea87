"use client";

import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api } from "@/trpc/react";
import { Timestamp } from "./timestamp";

const LIMIT = 200;

/** Who did what, newest first (the server orders and caps the list). */
export function AuditLog() {
  const events = api.audit.list.useQuery({ limit: LIMIT });
  return (
    <>
      <PageHeader
        title="Audit log"
        description={`The last ${LIMIT} changes and operations, newest first.`}
        actions={
          <Button type="button" variant="secondary" loading={events.isFetching} onClick={() => void events.refetch()}>
            Refresh
          </Button>
        }
      />
      {events.isPending ? (
        <LoadingBlock label="Loading audit events" />
      ) : events.isError ? (
        <LoadError error={events.error} onRetry={() => void events.refetch()} title="Could not load the audit log" />
      ) : events.data.length === 0 ? (
        <EmptyState title="Nothing recorded yet" />
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Time</TableHead>
              <TableHead>Actor</TableHead>
              <TableHead>Action</TableHead>
              <TableHead>Target</TableHead>
              <TableHead>Result</TableHead>
              <TableHead>Details</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {events.data.map((event) => (
              <TableRow key={event.id}>
                <TableCell className="text-muted">
                  <Timestamp value={event.at} />
                </TableCell>
                <TableCell>{event.actorLabel}</TableCell>
                <TableCell className="font-mono text-[13px]">{event.action}</TableCell>
                <TableCell className="font-mono text-[13px]">{event.target ?? "—"}</TableCell>
                <TableCell>{event.ok ? <Badge tone="success">ok</Badge> : <Badge tone="danger">failed</Badge>}</TableCell>
                <TableCell className="max-w-96 truncate font-mono text-xs text-muted" title={summarize(event.details)}>
                  {summarize(event.details) || "—"}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}

/** Compact one-line view of the (already redacted) details object. */
function summarize(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
}
