"use client";

import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { messageOf } from "@/trpc/errors";
import { api } from "@/trpc/react";
import { ServiceDialog } from "./service-dialog";
import type { StackView } from "./stack-form";
import type { ServiceView } from "./use-stack-services";

/** Which container of the stack runs on which host. */
export function ServicesCard({ stack, services }: { stack: StackView; services: ServiceView[] }) {
  const isAdmin = useCan("ADMIN");
  const utils = api.useUtils();
  const [editing, setEditing] = useState<ServiceView | "new" | null>(null);
  const [removing, setRemoving] = useState<ServiceView | null>(null);
  const remove = api.service.delete.useMutation();

  async function handleRemove() {
    if (!removing) return;
    try {
      await remove.mutateAsync({ id: removing.id });
    } catch (err) {
      toast.error(messageOf(err));
      throw err;
    }
    toast.success(`${removing.kind} service removed`);
    void utils.stack.get.invalidate();
    void utils.service.list.invalidate({ stackId: stack.id });
  }

  return (
    <Card>
      <CardHeader
        actions={
          isAdmin ? (
            <Button type="button" size="sm" onClick={() => setEditing("new")}>
              Add service
            </Button>
          ) : null
        }
      >
        <CardTitle>Services</CardTitle>
        <CardDescription>Removing a service here does not stop its container.</CardDescription>
      </CardHeader>
      <CardContent>
        {services.length === 0 ? (
          <EmptyState title="No services yet" description="Place the proxy, app, db and cache on your hosts." />
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Kind</TableHead>
                <TableHead>Host</TableHead>
                <TableHead>Container name</TableHead>
                <TableHead>Health</TableHead>
                <TableHead>Logs</TableHead>
                {isAdmin ? <TableHead className="text-right">Actions</TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {services.map((service) => (
                <TableRow key={service.id}>
                  <TableCell>
                    <Badge>{service.kind}</Badge>
                  </TableCell>
                  <TableCell>
                    <Link href={`/hosts/${service.hostId}`} className="text-accent-text hover:underline">
                      {service.hostName}
                    </Link>
                  </TableCell>
                  <TableCell className="font-mono text-[13px]">{service.containerName}</TableCell>
                  <TableCell>
                    <Link
                      href={`/health/services/${service.id}`}
                      className="text-accent-text hover:underline"
                      aria-label={`Health of the ${service.kind} service on ${service.hostName}`}
                    >
                      Health
                    </Link>
                  </TableCell>
                  <TableCell>
                    <ServiceLogLinks service={service} />
                  </TableCell>
                  {isAdmin ? (
                    <TableCell>
                      <div className="flex justify-end gap-1.5">
                        <Button type="button" size="sm" variant="secondary" onClick={() => setEditing(service)}>
                          Edit
                        </Button>
                        <Button type="button" size="sm" variant="ghost" onClick={() => setRemoving(service)}>
                          Remove
                        </Button>
                      </div>
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
      <ServiceDialog
        stack={stack}
        service={editing === "new" || editing === null ? undefined : editing}
        open={editing !== null}
        onOpenChange={(open) => (open ? undefined : setEditing(null))}
      />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => (open ? undefined : setRemoving(null))}
        tone="danger"
        title={removing ? `Remove the ${removing.kind} service on ${removing.hostName}?` : ""}
        description={`The stack ${stack.name} forgets this placement; the container ${removing?.containerName ?? ""} keeps running.`}
        confirmLabel="Remove"
        onConfirm={handleRemove}
      />
    </Card>
  );
}

/** One click to the service's container log (the proxy's as a readable access log, the db's slow log for deployers). */
function ServiceLogLinks({ service }: { service: ServiceView }) {
  const canReadSlowLog = useCan("DEPLOYER");
  const base = { host: service.hostName, container: service.containerName, follow: "1" };
  const logs = new URLSearchParams(service.kind === "proxy" ? { source: "proxy", ...base } : base);
  return (
    <div className="flex gap-3 text-sm">
      <Link href={`/logs?${logs}`} className="text-accent-text hover:underline" aria-label={`Logs of the ${service.kind} service`}>
        Logs
      </Link>
      {service.kind === "db" && canReadSlowLog ? (
        <Link href={`/logs?${new URLSearchParams({ source: "mysql-slow", ...base })}`} className="text-accent-text hover:underline">
          Slow queries
        </Link>
      ) : null}
    </div>
  );
}
