"use client";

import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { api, type RouterOutputs } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { formatAge } from "@/components/ui/format-age";

type Backup = RouterOutputs["backups"]["list"][number];

const TONE = { uploaded: "success", failed: "danger", pending: "warning" } as const;
const LABEL = { uploaded: "off-site verified", failed: "off-site failed", pending: "off-site copying" } as const;

/** A backup's off-site copy: verified, copying, or failed with the reason and a Retry (DEPLOYER and up). */
export function OffsiteBadge({ b, onStarted }: { b: Backup; onStarted: (jobId: string) => void }) {
  const canRetry = useCan("DEPLOYER");
  const utils = api.useUtils();
  const retry = api.offsite.retry.useMutation();
  if (!b.offsiteStatus) return null;

  async function retryNow() {
    try {
      const res = await retry.mutateAsync({ id: b.id });
      toast.success("Off-site copy started");
      onStarted(res.jobId);
      void utils.backups.list.invalidate();
    } catch (err) {
      toast.error(messageOf(err));
    }
  }

  return (
    <div className="mt-1" data-testid="backup-offsite" data-status={b.offsiteStatus}>
      <Badge tone={TONE[b.offsiteStatus]} title={b.offsiteKey ?? undefined}>
        {LABEL[b.offsiteStatus]}
      </Badge>
      {b.offsiteAt ? <span className="ml-2 text-xs text-muted">{formatAge(b.offsiteAt)}</span> : null}
      {b.offsiteStatus === "failed" && canRetry ? (
        <Button size="sm" variant="ghost" className="ml-2" onClick={() => void retryNow()} loading={retry.isPending}>
          Retry off-site copy
        </Button>
      ) : null}
      {b.offsiteError ? (
        <div className="max-w-xs text-xs text-danger [overflow-wrap:anywhere]" data-testid="backup-offsite-error">
          {b.offsiteError}
        </div>
      ) : null}
    </div>
  );
}
