"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { messageOf } from "@/trpc/errors";
import { api } from "@/trpc/react";
import type { HostView } from "./host-status";

export function DeleteHostButton({ host }: { host: HostView }) {
  const router = useRouter();
  const utils = api.useUtils();
  const [isOpen, setIsOpen] = useState(false);
  const remove = api.host.delete.useMutation();

  async function handleConfirm() {
    try {
      await remove.mutateAsync({ id: host.id });
    } catch (err) {
      toast.error(messageOf(err));
      throw err; // keeps the dialog open with the message
    }
    toast.success(`Host ${host.name} deleted`);
    await utils.host.list.invalidate();
    router.push("/hosts");
  }

  return (
    <>
      <Button type="button" variant="danger" onClick={() => setIsOpen(true)}>
        Delete
      </Button>
      <ConfirmDialog
        open={isOpen}
        onOpenChange={setIsOpen}
        tone="danger"
        title={`Delete host ${host.name}?`}
        description="The panel forgets this host and its stored SSH key. Nothing on the host itself is changed. Hosts that still carry services cannot be deleted."
        confirmLabel="Delete"
        requireText={host.name}
        onConfirm={handleConfirm}
      />
    </>
  );
}
