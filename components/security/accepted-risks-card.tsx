"use client";

import { Timestamp } from "@/components/audit/timestamp";
import { useCan } from "@/components/auth/role-context";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api, type RouterOutputs } from "@/trpc/react";
import { toast } from "sonner";

type Risk = RouterOutputs["security"]["overview"]["acceptedRisks"][number];

/** The failures an admin accepted, with who, when and why; an admin can revoke one (the check counts as plain failed again). */
export function AcceptedRisksCard({ stack, risks }: { stack: string; risks: Risk[] }) {
  const isAdmin = useCan("ADMIN");
  const utils = api.useUtils();
  const revoke = api.security.revokeRisk.useMutation();

  async function revokeOne(risk: Risk) {
    await revoke.mutateAsync({ id: risk.id });
    toast.success(`Accepted risk revoked: ${risk.rule} on ${risk.subject}`);
    await utils.security.overview.invalidate({ stack });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Accepted risks</CardTitle>
        <CardDescription>Failures an admin accepted with a reason. They still count as failed in the score.</CardDescription>
      </CardHeader>
      <CardContent>
        {risks.length === 0 ? (
          <p className="text-sm text-muted">No accepted risks.</p>
        ) : (
          <Table aria-label="Accepted risks">
            <TableHeader>
              <TableRow>
                <TableHead>Rule</TableHead>
                <TableHead>Subject</TableHead>
                <TableHead>Reason</TableHead>
                <TableHead>By</TableHead>
                <TableHead>When</TableHead>
                {isAdmin ? (
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {risks.map((risk) => (
                <TableRow key={risk.id}>
                  <TableCell className="font-mono text-xs">{risk.rule}</TableCell>
                  <TableCell className="font-mono text-xs">{risk.subject}</TableCell>
                  <TableCell className="max-w-md text-[13px] whitespace-pre-wrap">{risk.reason}</TableCell>
                  <TableCell>{risk.acceptedBy}</TableCell>
                  <TableCell>
                    <Timestamp value={risk.createdAt} />
                  </TableCell>
                  {isAdmin ? (
                    <TableCell className="text-right">
                      <ConfirmButton
                        label="Revoke"
                        variant="secondary"
                        size="sm"
                        tone="default"
                        title={`Revoke the accepted risk ${risk.rule} on ${risk.subject}?`}
                        description="The check shows as a plain failure again until it is fixed or accepted again."
                        confirmLabel="Revoke"
                        onConfirm={() => revokeOne(risk)}
                      />
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
