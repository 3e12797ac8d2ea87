"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { api } from "@/trpc/react";
import type { HostView } from "./host-status";

export function DeleteHostButton({ host }: { host: HostView }) {
  const router = useRouter();
  const utils = api.useUtils();
  const remove = api.host.delete.useMutation();
  return (
    <ConfirmButton
      label="Delete"
      title={`Delete host ${host.name}?`}
      description="The panel forgets this host and its stored SSH key. Nothing on the host itself is changed. Hosts that still carry services cannot be deleted."
      confirmLabel="Delete"
      requireText={host.name}
      onConfirm={async () => {
        await remove.mutateAsync({ id: host.id });
        toast.success(`Host ${host.name} deleted`);
        await utils.host.list.invalidate();
        router.push("/hosts");
      }}
    />
  );
}
