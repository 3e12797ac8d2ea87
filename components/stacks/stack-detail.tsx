"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { PageHeader } from "@/components/ui/page-header";
import { api } from "@/trpc/react";
import { AppEnvCard } from "@/components/env/app-env-card";
import { DeploySettingsCard } from "./deploy-settings-card";
import { ServicesCard } from "./services-card";
import { StackForm, type StackView } from "./stack-form";
import { StackTopology } from "./stack-topology";

export function StackDetail({ name }: { name: string }) {
  const router = useRouter();
  const isAdmin = useCan("ADMIN");
  const detail = api.stack.get.useQuery({ idOrName: name });

  if (detail.isPending) return <LoadingBlock label="Loading stack" />;
  if (detail.isError) return <LoadError error={detail.error} onRetry={() => void detail.refetch()} title="Could not load this stack" />;
  const { stack, services } = detail.data;

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/stacks" className="hover:underline">
            Stacks
          </Link>
        }
        title={stack.name}
        description={
          <a href={stack.publicDomain} target="_blank" rel="noreferrer" className="font-mono text-[13px] hover:underline">
            {stack.publicDomain}
          </a>
        }
        actions={
          <div className="flex gap-2">
            <Link
              href={`/stacks/${stack.name}/go-live`}
              className="inline-flex items-center rounded-md border border-border-strong px-3 py-1.5 text-sm hover:bg-subtle"
            >
              Go live
            </Link>
            <Link
              href={`/stacks/${stack.name}/security`}
              className="inline-flex items-center rounded-md border border-border-strong px-3 py-1.5 text-sm hover:bg-subtle"
            >
              Security
            </Link>
            {isAdmin ? <DeleteStackButton stack={stack} /> : null}
          </div>
        }
      />
      <div className="grid gap-4">
        <StackTopology services={services} />
        <ServicesCard stack={stack} services={services} />
        <DeploySettingsCard stack={stack.name} />
        <AppEnvCard stack={stack.name} />
        <Card>
          <CardHeader>
            <CardTitle>Settings</CardTitle>
            <CardDescription>Where the stack is served and where its image comes from.</CardDescription>
          </CardHeader>
          <CardContent>
            <StackForm
              // Remount after a save so the uncontrolled fields show what was stored.
              key={stack.updatedAt.toISOString()}
              stack={stack}
              isReadOnly={!isAdmin}
              onSaved={(saved) => {
                if (saved.name !== name) router.replace(`/stacks/${saved.name}`);
              }}
            />
          </CardContent>
        </Card>
      </div>
    </>
  );
}

function DeleteStackButton({ stack }: { stack: StackView }) {
  const router = useRouter();
  const utils = api.useUtils();
  const remove = api.stack.delete.useMutation();
  return (
    <ConfirmButton
      label="Delete"
      title={`Delete stack ${stack.name}?`}
      description="The panel forgets this stack and its service placements. Containers already running on the hosts are not touched."
      confirmLabel="Delete"
      requireText={stack.name}
      onConfirm={async () => {
        await remove.mutateAsync({ id: stack.id });
        toast.success(`Stack ${stack.name} deleted`);
        await utils.stack.list.invalidate();
        router.push("/stacks");
      }}
    />
  );
}
