"use client";

import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { api } from "@/trpc/react";

type Leftover = { name: string; tag: string | null; running: boolean };

/**
 * Candidate containers (`-next-`) on an app host. While a job holds the stack's lock they are the
 * running deploy's own; otherwise a deploy the panel could not finish left them, and a deployer can
 * remove each after a confirmation that says what goes and what stays.
 */
export function LeftoverCandidates({
  stack,
  host,
  leftovers,
  isLocked,
}: {
  stack: string;
  host: string;
  leftovers: Leftover[];
  isLocked: boolean;
}) {
  const canRemove = useCan("DEPLOYER");
  const utils = api.useUtils();
  const remove = api.deploy.removeLeftover.useMutation();
  return (
    <div className="flex w-full flex-col gap-1 pl-5" data-testid="leftover-candidates">
      {leftovers.map((c) => (
        <div key={c.name} className="flex flex-wrap items-center gap-2" data-testid="leftover-candidate" data-name={c.name}>
          <span className={isLocked ? "text-muted" : "text-warning"}>
            {isLocked ? "candidate of the deploy under way:" : "left by a deploy that did not finish:"}
          </span>
          <span className="font-mono">{c.name}</span>
          <span className="text-muted">
            ({c.tag ?? "unknown tag"}, {c.running ? "running" : "stopped"}, not serving traffic)
          </span>
          {canRemove && !isLocked ? (
            <ConfirmButton
              size="sm"
              label="Remove"
              title={`Remove ${c.name} on ${host}?`}
              description={`The panel removes this container${c.running ? " (it is running; it is stopped first)" : ""}. The live container, the ones kept for rollback and the proxy are not touched. The removal is audited.`}
              confirmLabel="Remove container"
              onConfirm={async () => {
                const result = await remove.mutateAsync({ stack, host, container: c.name });
                toast.success(`Removed ${result.removed} on ${result.host}`);
                await utils.deploy.live.invalidate({ stack });
              }}
            />
          ) : null}
        </div>
      ))}
    </div>
  );
}
