"use client";

import { useCan } from "@/components/auth/role-context";
import Link from "next/link";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { StatusDot } from "@/components/ui/status-dot";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { describeOffsite } from "@/components/offsite/offsite-health-text";
import type { OffsiteHealth } from "@/server/services/offsite/offsite-health";
import { CheckDetails } from "./check-details";
import { MetricChart } from "./metric-chart";
import { formatAge } from "@/components/ui/format-age";
import { SweepAge } from "./sweep-age";
import { TopologyDiagram } from "./topology-diagram";

function OffsiteLine({ h }: { h: OffsiteHealth }) {
  const d = describeOffsite(h);
  return (
    <p className="flex items-center gap-2 text-sm" data-testid="offsite-health" data-state={h.state}>
      <StatusDot tone={d.tone} label={d.label} />
      {d.text}
    </p>
  );
}

/** One stack's live health: topology, last deploy, every check, and latency history. */
export function StackHealthCard({ stack }: { stack: string }) {
  const utils = api.useUtils();
  const canCheck = useCan("DEPLOYER");
  const overview = api.health.overview.useQuery({ stack }, { refetchInterval: 5_000 });
  const checkNow = api.health.checkNow.useMutation({
    onSuccess: () => void Promise.all([utils.health.overview.invalidate({ stack }), utils.health.series.invalidate()]),
    onError: (err) => toast.error(messageOf(err)),
  });
  if (overview.isPending) return <LoadingBlock label={`Loading ${stack} health`} />;
  if (overview.isError)
    return <LoadError error={overview.error} onRetry={() => void overview.refetch()} title={`Could not load ${stack} health`} />;
  const { sweep, lastDeployment, backups, firingAlerts } = overview.data;
  const appHost = overview.data.services.find((s) => s.kind === "app")?.hostName;
  const hostOf = (kind: string) => overview.data.services.find((sv) => sv.kind === kind)?.hostName;
  const dbHost = hostOf("db");
  const cacheHost = hostOf("cache");

  return (
    <Card data-testid={`stack-health-${stack}`}>
      <CardHeader
        actions={
          <>
            <Link href="/alerts" className="text-xs text-accent-text hover:underline">
              Alerts{firingAlerts ? ` (${firingAlerts} firing)` : ""}
            </Link>
            {canCheck ? (
              <Button type="button" size="sm" variant="secondary" loading={checkNow.isPending} onClick={() => checkNow.mutate({ stack })}>
                Check now
              </Button>
            ) : null}
          </>
        }
      >
        <CardTitle>
          <Link href={`/stacks/${stack}`} className="hover:underline">
            {stack}
          </Link>
        </CardTitle>
        <CardDescription>
          <SweepAge at={sweep?.startedAt ?? null} isStale={overview.data.isStale} durationMs={sweep?.durationMs} />
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <TopologyDiagram overview={overview.data} />
        <p className="flex items-center gap-2 text-sm" data-testid="last-deploy">
          <StatusDot
            tone={
              lastDeployment
                ? lastDeployment.status === "succeeded"
                  ? "success"
                  : lastDeployment.status === "failed"
                    ? "danger"
                    : "info"
                : "neutral"
            }
            label={lastDeployment?.status ?? "none"}
          />
          {lastDeployment
            ? `Last deploy: ${lastDeployment.tag} ${lastDeployment.status} ${formatAge(lastDeployment.endedAt ?? lastDeployment.startedAt)}`
            : "No deployment recorded by this panel yet."}
        </p>
        <p className="flex items-center gap-2 text-sm" data-testid="last-backup">
          <StatusDot tone={backups.isBackupStale ? "danger" : "success"} label={backups.isBackupStale ? "stale" : "recent"} />
          {backups.lastGoodBackupAt
            ? `Last good backup: ${formatAge(backups.lastGoodBackupAt)}${backups.isBackupStale ? " — older than its schedule allows" : ""}`
            : "No verified backup of the database yet."}
        </p>
        <OffsiteLine h={backups.offsite} />
        <p className="flex items-center gap-2 text-sm" data-testid="last-drill">
          <StatusDot tone={backups.isDrillStale ? "danger" : "success"} label={backups.isDrillStale ? "stale" : "recent"} />
          {backups.lastPassingDrillAt
            ? `Last passing restore drill: ${formatAge(backups.lastPassingDrillAt)}${backups.isDrillStale ? " — older than its schedule allows" : ""}`
            : "No restore drill has passed yet."}{" "}
          <a className="text-accent-text underline" href={`/database/${stack}`}>
            Database
          </a>
        </p>
        {sweep ? <CheckDetails checks={sweep.checks} /> : null}
        <div className="grid gap-4 md:grid-cols-2">
          <MetricChart stack={stack} subject="external" metrics={["latency"]} title="Public ping latency" unit=" ms" />
          {appHost ? (
            <MetricChart stack={stack} subject={`app@${appHost}`} metrics={["latency"]} title="App ping latency" unit=" ms" />
          ) : null}
          {dbHost ? (
            <MetricChart
              stack={stack}
              subject={`db@${dbHost}`}
              metrics={["connections", "threadsRunning"]}
              title="Database connections"
              unit=""
            />
          ) : null}
          {cacheHost ? (
            <MetricChart stack={stack} subject={`cache@${cacheHost}`} metrics={["usedMemory"]} title="Cache memory used" unit=" B" />
          ) : null}
        </div>
      </CardContent>
    </Card>
  );
}
