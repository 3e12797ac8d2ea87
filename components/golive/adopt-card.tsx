"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { CheckStatus } from "./check-status";

/** A stack the plan's templates set up: what runs, how it differs from the panel's provisioning, and take it over. */
export function AdoptCard({ stack, onStarted }: { stack: string; onStarted: (jobId: string) => void }) {
  const canRead = useCan("DEPLOYER");
  const isAdmin = useCan("ADMIN");
  const [isOpen, setOpen] = useState(false);
  const preview = api.golive.adoptPreview.useMutation({ onError: (err) => toast.error(messageOf(err)) });
  const adopt = api.golive.adopt.useMutation();
  const pv = preview.data;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Adopt what runs</CardTitle>
        <CardDescription>
          For a stack set up by hand from the plan&apos;s templates: the panel reads the containers, their ports, volumes, env and command
          and the proxy&apos;s live config, shows how they differ from what it would provision, and takes over without restarting anything
          that serves traffic.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="flex gap-2">
          <Button variant="secondary" onClick={() => preview.mutate({ stack })} loading={preview.isPending} disabled={!canRead}>
            Compare with the plan
          </Button>
          {pv && isAdmin ? <Button onClick={() => setOpen(true)}>Adopt</Button> : null}
        </div>
        {pv?.proxy.error ? (
          <Alert tone="danger" title="The proxy cannot be taken over as it is">
            {pv.proxy.error}
          </Alert>
        ) : null}
        {pv ? (
          <>
            <Table data-testid="adopt-services">
              <TableHeader>
                <TableRow>
                  <TableHead>Role</TableHead>
                  <TableHead>Host</TableHead>
                  <TableHead>Container</TableHead>
                  <TableHead>Image</TableHead>
                  <TableHead>Ports</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {pv.services.map((s) => (
                  <TableRow key={`${s.role}@${s.host}`}>
                    <TableCell>{s.role}</TableCell>
                    <TableCell className="font-mono">{s.host}</TableCell>
                    <TableCell className="font-mono">{s.found ? s.container : `${s.container} (none)`}</TableCell>
                    <TableCell className="font-mono text-[12px]">{s.image ?? "-"}</TableCell>
                    <TableCell className="font-mono text-[12px]">{s.ports}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Table data-testid="adopt-differences">
              <TableHeader>
                <TableRow>
                  <TableHead>Kind</TableHead>
                  <TableHead>Where</TableHead>
                  <TableHead>What</TableHead>
                  <TableHead>Runs now</TableHead>
                  <TableHead>The panel</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {pv.differences.map((d, i) => (
                  <TableRow key={i}>
                    <TableCell>
                      <CheckStatus status={d.kind} />
                    </TableCell>
                    <TableCell className="font-mono">
                      {d.role}@{d.host}
                    </TableCell>
                    <TableCell>{d.what}</TableCell>
                    <TableCell className="text-[13px]">{d.running}</TableCell>
                    <TableCell className="text-[13px]">{d.panel}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        ) : null}
        <ConfirmDialog
          open={isOpen}
          onOpenChange={setOpen}
          title={`Adopt ${stack}?`}
          description="The panel records the services as they run and prepares the proxy for its switches (Caddy: nothing changes; Nginx: the site gets an upstream file, checked with nginx -t and reloaded gracefully). Nothing restarts. The risks listed stay as they are until you fix them."
          confirmLabel="Adopt"
          tone="default"
          onConfirm={async () => {
            const res = await adopt.mutateAsync({ stack });
            toast.success("Adoption started");
            onStarted(res.jobId);
          }}
        />
      </CardContent>
    </Card>
  );
}
