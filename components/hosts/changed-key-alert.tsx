"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FingerprintLine, VerifyInstructions } from "./fingerprint-line";
import type { HostView } from "./host-status";
import { usePinFlow } from "./use-pin-flow";

/**
 * Loud on purpose: a changed host key means a reinstalled server or someone in the middle. The panel
 * sends nothing to the host until an admin has checked the new key on the host and re-pinned it.
 */
export function ChangedKeyAlert({ host }: { host: HostView }) {
  const isAdmin = useCan("ADMIN");
  const [isConfirming, setIsConfirming] = useState(false);
  const { fetchFingerprint, pin } = usePinFlow(host);
  // What the admin compares: the key recorded at the mismatch, or one fetched here if none was recorded.
  const shown = host.presentedFingerprint ?? fetchFingerprint.data?.fingerprint ?? null;

  async function handleRepin() {
    const { fingerprint } = await fetchFingerprint.mutateAsync({ id: host.id });
    // Security: pin only the key the admin looked at; if the host now shows another one, stop.
    if (shown && fingerprint !== shown) {
      const message = `${host.name} now presents ${fingerprint}, not the ${shown} shown here. Compare again before re-pinning.`;
      toast.error(message);
      throw new Error(message);
    }
    await pin.mutateAsync({ id: host.id, fingerprint });
  }

  return (
    <>
      <Alert
        tone="danger"
        title="HOST KEY CHANGED"
        actions={
          isAdmin ? (
            shown ? (
              <Button type="button" variant="secondary" size="sm" onClick={() => setIsConfirming(true)}>
                Re-pin after verifying
              </Button>
            ) : (
              <Button
                type="button"
                variant="secondary"
                size="sm"
                loading={fetchFingerprint.isPending}
                onClick={() => fetchFingerprint.mutate({ id: host.id })}
              >
                Fetch fingerprint
              </Button>
            )
          ) : undefined
        }
      >
        <div className="grid gap-3">
          <p>
            {host.name} presented a different SSH host key than the one pinned. Nothing is sent to this host until an admin verifies the new
            key on the host and re-pins it. If nobody reinstalled the server, treat this as an attack.
          </p>
          <FingerprintLine label="Expected (pinned)" value={host.hostKeyFingerprint} />
          <FingerprintLine label="Presented now" value={shown} />
          <VerifyInstructions />
          {!isAdmin ? <p>Ask an admin to verify the host and re-pin its key.</p> : null}
        </div>
      </Alert>
      <ConfirmDialog
        open={isConfirming}
        onOpenChange={setIsConfirming}
        tone="danger"
        title={`Re-pin the host key of ${host.name}?`}
        description="Only do this after checking on the host itself that it prints this fingerprint."
        confirmLabel="Re-pin"
        requireText={host.name}
        onConfirm={handleRepin}
      >
        <FingerprintLine label="New fingerprint" value={shown} />
      </ConfirmDialog>
    </>
  );
}
