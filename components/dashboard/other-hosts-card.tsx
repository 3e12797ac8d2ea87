"use client";

import { useCan } from "@/components/auth/role-context";
import Link from "next/link";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { summarizeCheck } from "@/components/health/check-details";
import { STATUS_LOOK } from "@/components/health/status-style";
import { SweepAge } from "@/components/health/sweep-age";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { LoadError } from "./page-states";

/** Hosts placed in no stack: reachability, host key and host figures from their own sweep. */
export function OtherHostsCard() {
  const utils = api.useUtils();
  const canCheck = useCan("DEPLOYER");
  const q = api.health.otherHosts.useQuery(undefined, { refetchInterval: 5_000 });
  const checkNow = api.health.checkOtherHosts.useMutation({
    onSuccess: () => void utils.health.otherHosts.invalidate(),
    onError: (err) => toast.error(messageOf(err)),
  });
  if (q.isPending) return null;
  if (q.isError) return <LoadError error={q.error} onRetry={() => void q.refetch()} title="Could not load the other hosts" />;
  const { hosts, sweep, isStale } = q.data;
  if (hosts.length === 0) return null;
  const checks = new Map((sweep?.checks ?? []).map((c) => [c.hostId, c]));
  return (
    <Card data-testid="other-hosts">
      <CardHeader
        actions={
          canCheck ? (
            <Button type="button" size="sm" variant="secondary" loading={checkNow.isPending} onClick={() => checkNow.mutate()}>
              Check now
            </Button>
          ) : null
        }
      >
        <CardTitle>Other hosts</CardTitle>
        <CardDescription>
          Hosts in no stack: reachability, disk and host key.{" "}
          <SweepAge at={sweep?.startedAt ?? null} isStale={isStale} durationMs={sweep?.durationMs} />
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Table aria-label="Other hosts">
          <TableHeader>
            <TableRow>
              <TableHead>Host</TableHead>
              <TableHead>State</TableHead>
              <TableHead>Details</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {hosts.map((h) => {
              const c = checks.get(h.id);
              const look = STATUS_LOOK[c?.status ?? "unchecked"];
              return (
                <TableRow key={h.id} data-testid={`other-host-${h.name}`} data-status={c?.status ?? "unchecked"}>
                  <TableCell>
                    <Link href={`/health/hosts/${h.id}`} className="text-accent-text hover:underline">
                      {h.name}
                    </Link>
                    <div className="font-mono text-[11px] text-muted">{h.address}</div>
                  </TableCell>
                  <TableCell>
                    <Badge tone={look.tone}>{look.label}</Badge>
                  </TableCell>
                  <TableCell className="text-xs">
                    {c?.reason ? (
                      <p className="text-danger" data-testid="other-host-reason">
                        {c.failure ? `${c.failure.category}: ` : ""}
                        {c.reason}
                      </p>
                    ) : null}
                    {c ? <p className="text-muted">{summarizeCheck(c)}</p> : <p className="text-muted">not checked yet</p>}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
