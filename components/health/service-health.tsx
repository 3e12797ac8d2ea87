"use client";

import { useCan } from "@/components/auth/role-context";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { ChartRange } from "./chart-range";
import { ServiceCharts } from "./service-charts";
import { ServiceFacts } from "./service-facts";
import { SweepAge } from "./sweep-age";
import { STATUS_LOOK } from "./status-style";

/** One service (app, db, cache, proxy on a host): its live checks and the charts of its samples. */
export function ServiceHealth({ serviceId }: { serviceId: string }) {
  const [hours, setHours] = useState(24);
  const utils = api.useUtils();
  const canCheck = useCan("DEPLOYER");
  const q = api.health.service.useQuery({ id: serviceId }, { refetchInterval: 5_000 });
  const checkNow = api.health.checkNow.useMutation({
    onSuccess: () => void Promise.all([utils.health.service.invalidate({ id: serviceId }), utils.health.series.invalidate()]),
    onError: (err) => toast.error(messageOf(err)),
  });
  if (q.isPending) return <LoadingBlock label="Loading service health" />;
  if (q.isError) return <LoadError error={q.error} onRetry={() => void q.refetch()} title="Could not load service health" />;
  const { service, host, stack, check, hostCheck, subject } = q.data;
  const look = STATUS_LOOK[check?.status ?? "unchecked"];
  const hostDown = hostCheck?.status === "down" && check?.status !== "down";
  return (
    <>
      <PageHeader
        eyebrow={
          <>
            <Link href="/" className="hover:underline">
              Dashboard
            </Link>{" "}
            /{" "}
            <Link href={`/stacks/${stack.name}`} className="hover:underline">
              {stack.name}
            </Link>
          </>
        }
        title={
          <span className="flex items-center gap-3">
            {service.kind} on {host.name}{" "}
            <Badge tone={look.tone} data-testid="service-status">
              {look.label}
            </Badge>
          </span>
        }
        description={<SweepAge at={q.data.sweptAt} isStale={q.data.isStale} />}
        actions={
          <>
            <Link href={`/health/hosts/${host.id}`} className="text-sm text-accent-text hover:underline">
              Host {host.name}
            </Link>
            {canCheck ? (
              <Button
                type="button"
                size="sm"
                variant="secondary"
                loading={checkNow.isPending}
                onClick={() => checkNow.mutate({ stack: stack.name })}
              >
                Check now
              </Button>
            ) : null}
          </>
        }
      />
      <div className="grid gap-4">
        {check?.reason ? (
          <p className="text-sm text-danger" data-testid="service-reason">
            {check.reason}
          </p>
        ) : null}
        {hostDown ? (
          <p className="text-sm text-danger">
            Host {host.name} is down: {hostCheck?.reason}
          </p>
        ) : null}
        <Card>
          <CardHeader>
            <CardTitle>Live checks</CardTitle>
          </CardHeader>
          <CardContent>
            <ServiceFacts health={q.data} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader actions={<ChartRange hours={hours} onChange={setHours} />}>
            <CardTitle>History</CardTitle>
          </CardHeader>
          <CardContent>
            <ServiceCharts stack={stack.name} kind={service.kind} subject={subject} hours={hours} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
