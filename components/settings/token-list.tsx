"use client";

import { toast } from "sonner";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api, type RouterOutputs } from "@/trpc/react";
import { TokenCreator, TokenExpiry, TokenLastUsed, TokenRole, TokenScope, TokenStatus } from "./token-cells";

type Token = RouterOutputs["token"]["list"][number];

export function TokenList() {
  const utils = api.useUtils();
  const tokens = api.token.list.useQuery();
  const revoke = api.token.revoke.useMutation();

  async function handleRevoke(token: Token) {
    await revoke.mutateAsync({ id: token.id });
    toast.success(`Token ${token.name} revoked`);
    void utils.token.list.invalidate();
  }

  if (tokens.isPending) return <LoadingBlock label="Loading tokens" />;
  if (tokens.isError) return <LoadError error={tokens.error} onRetry={() => void tokens.refetch()} title="Could not load tokens" />;
  if (tokens.data.length === 0) return <EmptyState title="No API tokens" description="Create one for CI or scripts." />;

  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Token</TableHead>
          <TableHead>Role</TableHead>
          <TableHead>Scope</TableHead>
          <TableHead>Created by</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="text-right">Actions</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {tokens.data.map((token) => (
          <TableRow key={token.id}>
            <TableCell className="font-medium">{token.name}</TableCell>
            <TableCell className="font-mono text-[13px]">{token.prefix}…</TableCell>
            <TableCell>
              <TokenRole token={token} />
            </TableCell>
            <TableCell>
              <TokenScope token={token} />
            </TableCell>
            <TableCell>
              <TokenCreator token={token} />
            </TableCell>
            <TableCell className="text-muted">
              <TokenExpiry token={token} />
            </TableCell>
            <TableCell className="text-muted">
              <TokenLastUsed token={token} />
            </TableCell>
            <TableCell>
              <TokenStatus token={token} />
            </TableCell>
            <TableCell className="text-right">
              {token.revokedAt ? null : (
                <ConfirmButton
                  label="Revoke"
                  size="sm"
                  variant="ghost"
                  tone="danger"
                  confirmLabel="Revoke"
                  title={`Revoke token ${token.name}?`}
                  description="Anything using it gets 401 from its next request on. This cannot be undone."
                  onConfirm={() => handleRevoke(token)}
                />
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
