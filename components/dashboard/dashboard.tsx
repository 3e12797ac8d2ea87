"use client";

import { useRouter } from "next/navigation";
import { useCan } from "@/components/auth/role-context";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { useStackServices } from "@/components/stacks/use-stack-services";
import { api } from "@/trpc/react";
import { ChangedHostsBanner } from "./changed-hosts-banner";
import { HostsSummaryCard } from "./hosts-summary-card";
import { LoadError, LoadingBlock } from "./page-states";
import { StackCard } from "./stack-card";

/**
 * Status from what the panel knows (host key state, last connection check); it never shows green
 * for a host nobody has checked.
 */
export function Dashboard() {
  const router = useRouter();
  const isAdmin = useCan("ADMIN");
  const stacks = api.stack.list.useQuery();
  const hosts = api.host.list.useQuery();
  const services = useStackServices(stacks.data?.map((s) => s.id) ?? []);

  if (stacks.isPending || hosts.isPending) return <LoadingBlock label="Loading dashboard" />;
  if (stacks.isError) return <LoadError error={stacks.error} onRetry={() => void stacks.refetch()} title="Could not load stacks" />;
  if (hosts.isError) return <LoadError error={hosts.error} onRetry={() => void hosts.refetch()} title="Could not load hosts" />;
  const hostsById = new Map(hosts.data.map((h) => [h.id, h]));

  return (
    <>
      <ChangedHostsBanner hosts={hosts.data} />
      <PageHeader title="Dashboard" description="Stacks and the hosts they run on." />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="grid content-start gap-4 md:grid-cols-2">
          {stacks.data.length === 0 ? (
            <EmptyState
              className="md:col-span-2"
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
            stacks.data.map((stack) => (
              <StackCard key={stack.id} stack={stack} services={services.get(stack.id)} hostsById={hostsById} />
            ))
          )}
        </div>
        <div className="grid content-start gap-4">
          <HostsSummaryCard hosts={hosts.data} />
        </div>
      </div>
    </>
  );
}
