"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { StatusDot } from "@/components/ui/status-dot";
import { messageOf } from "@/trpc/errors";
import { api } from "@/trpc/react";
import { ConnectionCard } from "./connection-card";
import { ContainersCard } from "./containers-card";
import { DeleteHostButton } from "./delete-host-button";
import { HostKeyCard } from "./host-key-card";
import { LogAccessCard } from "./log-access-card";
import { describeHostHealth, HostKeyBadge } from "./host-status";

export function HostDetail({ hostId }: { hostId: string }) {
  const router = useRouter();
  const isAdmin = useCan("ADMIN");
  const canTest = useCan("DEPLOYER");
  const utils = api.useUtils();
  const host = api.host.get.useQuery({ id: hostId });
  const test = api.host.testConnection.useMutation({
    onError: (err) => toast.error(messageOf(err)),
    onSuccess: () => toast.success(`${host.data?.name ?? "Host"} is reachable`),
    // Either way the host's last check (and maybe its key state) changed on the server.
    onSettled: () => {
      void utils.host.get.invalidate({ id: hostId });
      void utils.host.list.invalidate();
    },
  });

  if (host.isPending) return <LoadingBlock label="Loading host" />;
  if (host.isError) return <LoadError error={host.error} onRetry={() => void host.refetch()} title="Could not load this host" />;
  const h = host.data;
  const health = describeHostHealth(h);

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/hosts" className="hover:underline">
            Hosts
          </Link>
        }
        title={h.name}
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="font-mono text-[13px]">
              {h.sshUser}@{h.address}:{h.sshPort}
            </span>
            <HostKeyBadge state={h.hostKeyState} />
            <StatusDot tone={health.tone} label={health.label} showLabel />
          </span>
        }
        actions={
          <>
            {canTest ? (
              <Button type="button" variant="secondary" loading={test.isPending} onClick={() => test.mutate({ id: hostId })}>
                Test connection
              </Button>
            ) : null}
            {isAdmin ? (
              <>
                <Button type="button" variant="secondary" onClick={() => router.push(`/hosts/${hostId}/edit`)}>
                  Edit
                </Button>
                <DeleteHostButton host={h} />
              </>
            ) : null}
          </>
        }
      />
      <div className="grid gap-4">
        <HostKeyCard host={h} />
        <ConnectionCard result={test.data} error={test.error} isTesting={test.isPending} host={h} />
        <ContainersCard host={h} />
        <LogAccessCard host={h} />
      </div>
    </>
  );
}
