"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api } from "@/trpc/react";

interface ServiceRowView {
  id: string;
  kind: string;
  hostName: string;
  containerName: string;
}

/** Take a role out of service: a final backup first for the db, containers removed, data kept unless asked. */
export function DecommissionCard({ services, onStarted }: { services: ServiceRowView[]; onStarted: (jobId: string) => void }) {
  const isAdmin = useCan("ADMIN");
  const [target, setTarget] = useState<ServiceRowView | null>(null);
  const [deleteData, setDeleteData] = useState(false);
  const run = api.golive.decommission.useMutation();
  const utils = api.useUtils();
  if (!isAdmin) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Decommission a role</CardTitle>
        <CardDescription>
          Removes the role&apos;s containers from its host and the service from the stack. The db gets a final, verified backup first.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Role</TableHead>
              <TableHead>Host</TableHead>
              <TableHead>Container</TableHead>
              <TableHead />
            </TableRow>
          </TableHeader>
          <TableBody>
            {services.map((s) => (
              <TableRow key={s.id} data-testid={`decommission-${s.kind}-${s.hostName}`}>
                <TableCell>{s.kind}</TableCell>
                <TableCell className="font-mono">{s.hostName}</TableCell>
                <TableCell className="font-mono">{s.containerName}</TableCell>
                <TableCell className="text-right">
                  <Button size="sm" variant="danger" onClick={() => (setDeleteData(false), setTarget(s))}>
                    Decommission
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <ConfirmDialog
          open={target !== null}
          onOpenChange={(o) => !o && setTarget(null)}
          title={target ? `Decommission the ${target.kind} on ${target.hostName}?` : ""}
          description={
            target?.kind === "db"
              ? "A final backup is taken and verified first (and copied off-site when that is on); then the database container is removed."
              : "The role's containers (and an app's retained rollback containers) are removed from the host."
          }
          confirmLabel="Decommission"
          requireText={target?.hostName}
          onConfirm={async () => {
            if (!target) return;
            const res = await run.mutateAsync({ serviceId: target.id, confirm: target.hostName, deleteData });
            toast.success("Decommission started");
            void utils.stack.get.invalidate();
            onStarted(res.jobId);
          }}
        >
          <Checkbox
            label="Also delete its data directories on the host"
            checked={deleteData}
            onChange={(e) => setDeleteData(e.target.checked)}
          />
        </ConfirmDialog>
      </CardContent>
    </Card>
  );
}
