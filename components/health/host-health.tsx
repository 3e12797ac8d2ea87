"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { api } from "@/trpc/react";
import { CheckDetails, summarizeCheck } from "./check-details";
import { ChartRange } from "./chart-range";
import { MetricChart } from "./metric-chart";
import { SweepAge } from "./sweep-age";
import { formatBytes, STATUS_LOOK } from "./status-style";

type Mount = { mount: string; filesystem: string; usedPct: number; inodesUsedPct: number | null; totalKb: number };
type Container = { name: string; cpuPct: number; memBytes: number; memLimitBytes: number };

/** A host's live figures (CPU, memory, disks, containers) and their history. */
export function HostHealth({ hostId }: { hostId: string }) {
  const [hours, setHours] = useState(24);
  const q = api.health.host.useQuery({ id: hostId }, { refetchInterval: 5_000 });
  if (q.isPending) return <LoadingBlock label="Loading host health" />;
  if (q.isError) return <LoadError error={q.error} onRetry={() => void q.refetch()} title="Could not load host health" />;
  const { host, stacks, check, services, sampleStack: stack } = q.data;
  const look = STATUS_LOOK[check?.status ?? "unchecked"];
  const mounts = (check?.details.mounts as Mount[] | undefined) ?? [];
  const containers = (check?.details.containers as Container[] | null | undefined) ?? [];
  const subject = `host:${host.name}`;
  const tone = (pct: number) => (pct > 90 ? "danger" : pct > 80 ? "warning" : "success");
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/" className="hover:underline">
            Dashboard
          </Link>
        }
        title={
          <span className="flex items-center gap-3">
            {host.name}{" "}
            <Badge tone={look.tone} data-testid="host-status">
              {look.label}
            </Badge>
          </span>
        }
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            {host.address} · {stacks.length ? `serves ${stacks.map((s) => s.name).join(", ")}` : "in no stack"} ·{" "}
            <SweepAge at={check?.checkedAt ?? null} isStale={q.data.isStale} />
          </span>
        }
        actions={
          <Link href={`/hosts/${host.id}`} className="text-sm text-accent-text hover:underline">
            Host settings
          </Link>
        }
      />
      <div className="grid gap-4">
        {check?.reason ? (
          <p className="text-sm text-danger" data-testid="host-reason">
            {check.reason}
          </p>
        ) : null}
        {check ? <p className="text-sm text-muted">{summarizeCheck(check)}</p> : null}
        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>Disks</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-3">
              {mounts.length === 0 ? (
                <p className="text-sm text-muted">No figures yet.</p>
              ) : (
                mounts.map((m) => (
                  <div key={m.mount} className="grid gap-1" data-testid={`mount-${m.mount}`}>
                    <ProgressBar
                      label={`${m.mount} (${m.filesystem}, ${formatBytes(m.totalKb * 1024)})`}
                      value={m.usedPct}
                      showValue
                      tone={tone(m.usedPct)}
                    />
                    {m.inodesUsedPct !== null ? <p className="text-[11px] text-muted">inodes {m.inodesUsedPct} %</p> : null}
                  </div>
                ))
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Containers</CardTitle>
            </CardHeader>
            <CardContent>
              <Table aria-label="Container usage">
                <TableHeader>
                  <TableRow>
                    <TableHead>Container</TableHead>
                    <TableHead>CPU</TableHead>
                    <TableHead>Memory</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {containers.map((c) => (
                    <TableRow key={c.name}>
                      <TableCell className="font-mono text-xs">{c.name}</TableCell>
                      <TableCell className="tabular-nums text-xs">{c.cpuPct} %</TableCell>
                      <TableCell className="tabular-nums text-xs">{formatBytes(c.memBytes)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        </div>
        {services.length ? <CheckDetails checks={services} /> : null}
        {services.some((c) => c.serviceId) ? (
          <p className="flex flex-wrap gap-3 text-sm">
            {services
              .filter((c) => c.serviceId)
              .map((c) => (
                <Link key={c.subject} href={`/health/services/${c.serviceId}`} className="text-accent-text hover:underline">
                  {c.kind} service page
                </Link>
              ))}
          </p>
        ) : null}
        <Card>
          <CardHeader actions={<ChartRange hours={hours} onChange={setHours} />}>
            <CardTitle>History</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4 md:grid-cols-2">
            <MetricChart stack={stack} subject={subject} metrics={["cpu", "iowait"]} title="CPU" unit=" %" hours={hours} />
            <MetricChart stack={stack} subject={subject} metrics={["mem"]} title="Memory" unit=" %" hours={hours} />
            <MetricChart stack={stack} subject={subject} metrics={["disk", "inodes"]} title="Disk" unit=" %" hours={hours} />
            <MetricChart stack={stack} subject={subject} metrics={["load1"]} title="Load" unit="" hours={hours} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
