"use client";

import { useRouter } from "next/navigation";
import { useCan } from "@/components/auth/role-context";
import { StackHealthCard } from "@/components/health/stack-health-card";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { api } from "@/trpc/react";
import { ChangedHostsBanner } from "./changed-hosts-banner";
import { HostsSummaryCard } from "./hosts-summary-card";
import { OtherHostsCard } from "./other-hosts-card";
import { LoadError, LoadingBlock } from "./page-states";
import { SecurityLightsCard } from "./security-lights-card";

/**
 * The panel's home: each stack's live health from the last sweep (grey until checked, never
 * green without a check), plus the host key summary that needs a human.
 */
export function Dashboard() {
  const router = useRouter();
  const isAdmin = useCan("ADMIN");
  const stacks = api.stack.list.useQuery();
  const hosts = api.host.list.useQuery();

  if (stacks.isPending || hosts.isPending) return <LoadingBlock label="Loading dashboard" />;
  if (stacks.isError) return <LoadError error={stacks.error} onRetry={() => void stacks.refetch()} title="Could not load stacks" />;
  if (hosts.isError) return <LoadError error={hosts.error} onRetry={() => void hosts.refetch()} title="Could not load hosts" />;

  return (
    <>
      <ChangedHostsBanner hosts={hosts.data} />
      <PageHeader title="Dashboard" description="Live health of each stack and the hosts it runs on." />
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="grid min-w-0 content-start gap-4">
          {stacks.data.length === 0 ? (
            <EmptyState
              title="No stacks yet"
              description="A stack ties the PixelFox image and domain to the hosts its services run on."
              action={
                isAdmin ? (
                  <Button type="button" onClick={() => router.push("/stacks")}>
                    Go to stacks
                  </Button>
                ) : undefined
              }
            />
          ) : (
            stacks.data.map((stack) => <StackHealthCard key={stack.id} stack={stack.name} />)
          )}
          <OtherHostsCard />
        </div>
        <div className="grid content-start gap-4">
          <HostsSummaryCard hosts={hosts.data} />
          <SecurityLightsCard />
        </div>
      </div>
    </>
  );
}
