"use client";

import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { formatAge } from "@/components/ui/format-age";
import { api } from "@/trpc/react";

/** Every alert that fired, whether it resolved, and what each channel said. */
export function HistoryCard() {
  const history = api.alerts.history.useQuery({ limit: 100 }, { refetchInterval: 5_000 });
  return (
    <Card>
      <CardHeader>
        <CardTitle>History</CardTitle>
      </CardHeader>
      <CardContent>
        {history.isPending ? (
          <LoadingBlock label="Loading alert history" />
        ) : history.isError ? (
          <LoadError error={history.error} />
        ) : history.data.length === 0 ? (
          <p className="text-sm text-muted">No alert has fired yet.</p>
        ) : (
          <Table aria-label="Alert history">
            <TableHeader>
              <TableRow>
                <TableHead>State</TableHead>
                <TableHead>Alert</TableHead>
                <TableHead>Started</TableHead>
                <TableHead>Notifications</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {history.data.map((e) => (
                <TableRow key={e.id} data-testid="alert-event" data-rule={e.ruleKind} data-subject={e.subject} data-status={e.status}>
                  <TableCell>
                    <Badge tone={e.status === "firing" ? "danger" : "success"}>{e.status}</Badge>
                  </TableCell>
                  <TableCell className="text-xs">
                    <span className="font-mono">
                      {e.ruleKind} · {e.subject}
                    </span>
                    <p>{e.message}</p>
                  </TableCell>
                  <TableCell className="text-xs whitespace-nowrap">
                    {formatAge(e.startedAt)}
                    {e.resolvedAt ? `, resolved ${formatAge(e.resolvedAt)}` : ""}
                  </TableCell>
                  <TableCell className="text-xs">
                    {e.deliveries.length === 0
                      ? "none (no channel)"
                      : e.deliveries.map((d, i) => (
                          <p key={i} className={d.ok ? "text-muted" : "text-danger"}>
                            {d.kind} → {d.channel}: {d.ok ? "sent" : d.error}
                          </p>
                        ))}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
