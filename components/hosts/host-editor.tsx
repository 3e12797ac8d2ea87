"use client";

import Link from "next/link";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { RoleGate } from "@/components/settings/role-gate";
import { PageHeader } from "@/components/ui/page-header";
import { api } from "@/trpc/react";
import { HostForm } from "./host-form";

/** /hosts/new and /hosts/[id]/edit: the same form, empty or filled from the stored host. */
export function HostEditor({ hostId }: { hostId?: string }) {
  return (
    <div className="mx-auto max-w-3xl">
      <RoleGate role="ADMIN" what="add or edit hosts">
        {hostId ? <EditHost hostId={hostId} /> : <NewHost />}
      </RoleGate>
    </div>
  );
}

function NewHost() {
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/hosts" className="hover:underline">
            Hosts
          </Link>
        }
        title="Add host"
        description="After saving, verify the host's SSH key fingerprint before the panel sends anything to it."
      />
      <HostForm />
    </>
  );
}

function EditHost({ hostId }: { hostId: string }) {
  const host = api.host.get.useQuery({ id: hostId });
  if (host.isPending) return <LoadingBlock label="Loading host" />;
  if (host.isError) return <LoadError error={host.error} onRetry={() => void host.refetch()} title="Could not load this host" />;
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={`/hosts/${hostId}`} className="hover:underline">
            ← {host.data.name}
          </Link>
        }
        title={`Edit ${host.data.name}`}
      />
      <HostForm host={host.data} />
    </>
  );
}
