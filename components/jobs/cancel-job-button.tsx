"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { messageOf } from "@/trpc/errors";
import { api } from "@/trpc/react";

/** Cancel for a queued/running job, behind a confirmation; hidden below DEPLOYER. */
export function CancelJobButton({ jobId, title, isCancelling }: { jobId: string; title: string; isCancelling: boolean }) {
  const canCancel = useCan("DEPLOYER");
  const [isOpen, setIsOpen] = useState(false);
  const cancel = api.job.cancel.useMutation();
  if (!canCancel) return null;

  async function handleConfirm() {
    try {
      await cancel.mutateAsync({ id: jobId });
    } catch (err) {
      toast.error(messageOf(err));
      throw err; // keeps the dialog open with the message
    }
    toast.message(`Cancelling ${title}…`);
  }

  return (
    <>
      <Button type="button" variant="danger" size="sm" loading={isCancelling} onClick={() => setIsOpen(true)} disabled={isCancelling}>
        {isCancelling ? "Cancelling…" : "Cancel"}
      </Button>
      <ConfirmDialog
        open={isOpen}
        onOpenChange={setIsOpen}
        tone="danger"
        title={`Cancel ${title}?`}
        description="The panel stops the remote work it started (image pull, new container) as soon as it can. What already changed on the hosts stays as it is; the step under way is marked cancelled."
        confirmLabel="Cancel job"
        cancelLabel="Keep running"
        onConfirm={handleConfirm}
      />
    </>
  );
}
