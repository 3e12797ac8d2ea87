"use client";

import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { CheckStatus } from "./check-status";

/** Read-only checks of every host the stack's services are placed on, before anything is changed. */
export function PreflightCard({ stack }: { stack: string }) {
  const canRun = useCan("DEPLOYER");
  const run = api.golive.preflightStack.useMutation({ onError: (err) => toast.error(messageOf(err)) });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Preflight</CardTitle>
        <CardDescription>
          SSH with the pinned key, Docker, disk and inodes, the role&apos;s directories, the clock, the ports the roles need and their
          containers. Read-only: nothing on the hosts changes.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div>
          <Button onClick={() => run.mutate({ stack })} loading={run.isPending} disabled={!canRun} variant="secondary">
            Run preflight
          </Button>
        </div>
        {run.data?.map((h) => (
          <div key={h.host} data-testid={`preflight-${h.host}`} className="grid gap-2">
            <div className="flex items-center gap-2 text-sm font-medium">
              <span className="font-mono">{h.host}</span>
              <span className="text-muted">({h.roles.join(", ")})</span>
              <CheckStatus status={h.ok ? "pass" : "fail"} />
            </div>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Check</TableHead>
                  <TableHead>Result</TableHead>
                  <TableHead>Evidence</TableHead>
                  <TableHead>Fix</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {h.items.map((i) => (
                  <TableRow key={i.id} data-testid={`preflight-item-${i.id}`}>
                    <TableCell>{i.label}</TableCell>
                    <TableCell>
                      <CheckStatus status={i.status} />
                    </TableCell>
                    <TableCell className="max-w-md font-mono text-[12px] whitespace-pre-wrap">{i.evidence}</TableCell>
                    <TableCell className="max-w-xs text-[13px]">{i.fix ?? ""}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
      </CardContent>
    </Card>
  );
}
