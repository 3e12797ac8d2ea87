"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { messageOf } from "@/trpc/errors";
import { api } from "@/trpc/react";
import type { HostView } from "./host-status";

/** Whether viewers may read every container's log on the host (admins change it; everyone sees it). */
export function LogAccessCard({ host }: { host: HostView }) {
  const isAdmin = useCan("ADMIN");
  const utils = api.useUtils();
  const set = api.host.setViewerLogs.useMutation();
  // Shown at once while the change is saved; the stored value takes over again afterwards.
  const [pending, setPending] = useState<boolean | null>(null);
  const allowed = pending ?? host.viewerLogsAllowed;

  async function toggle(next: boolean) {
    setPending(next);
    try {
      await set.mutateAsync({ id: host.id, allowed: next });
      await Promise.all([utils.host.get.invalidate({ id: host.id }), utils.host.containers.invalidate({ id: host.id })]);
      toast.success(
        next ? `Viewers may read every container's log on ${host.name}` : `Viewers read only the stack's containers on ${host.name}`,
      );
    } catch (err) {
      toast.error(messageOf(err));
    } finally {
      setPending(null);
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Log access</CardTitle>
        <CardDescription>
          Deployers and admins read every container&apos;s log; viewers read the stack&apos;s service containers.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Checkbox
          data-testid="viewer-logs-toggle"
          label="Viewers may read all containers' logs"
          description={`Also the containers on ${host.name} that are no stack's service (other tools, other tenants): their logs may show what a viewer should not see. Changes are audited.`}
          checked={allowed}
          disabled={!isAdmin || set.isPending}
          onChange={(e) => void toggle(e.target.checked)}
        />
      </CardContent>
    </Card>
  );
}
