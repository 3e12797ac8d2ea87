"use client";

import { toast } from "sonner";
import { Timestamp } from "@/components/audit/timestamp";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { Badge } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Role } from "@/server/domain/roles";
import { messageOf } from "@/trpc/errors";
import { api, type RouterOutputs } from "@/trpc/react";
import { RoleOptions } from "./role-options";

type User = RouterOutputs["user"]["list"][number];

export function UserList() {
  const utils = api.useUtils();
  const users = api.user.list.useQuery();
  const me = api.user.me.useQuery();
  const setRole = api.user.setRole.useMutation({
    onSuccess: (user) => toast.success(`${user.email} is now ${user.role}`),
    onError: (err) => toast.error(messageOf(err)),
    // Refetch either way: on failure the select snaps back to the stored role.
    onSettled: () => void utils.user.list.invalidate(),
  });
  const remove = api.user.delete.useMutation();
  const resetTotp = api.user.resetTotp.useMutation();

  async function handleResetTotp(user: User) {
    await resetTotp.mutateAsync({ id: user.id });
    toast.success(`Two-factor sign-in of ${user.email} is off; they can enrol again after signing in`);
    void utils.user.list.invalidate();
  }

  async function handleDelete(user: User) {
    await remove.mutateAsync({ id: user.id });
    toast.success(`User ${user.email} deleted`);
    void utils.user.list.invalidate();
  }

  if (users.isPending) return <LoadingBlock label="Loading users" />;
  if (users.isError) return <LoadError error={users.error} onRetry={() => void users.refetch()} title="Could not load users" />;

  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Email</TableHead>
          <TableHead>Role</TableHead>
          <TableHead>Two-factor</TableHead>
          <TableHead>Last login</TableHead>
          <TableHead className="text-right">Actions</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {users.data.map((user) => {
          const isMe = me.data?.kind === "user" && me.data.id === user.id;
          return (
            <TableRow key={user.id}>
              <TableCell className="font-medium">
                {user.email} {isMe ? <Badge tone="info">you</Badge> : null}
              </TableCell>
              <TableCell className="w-64">
                <Select
                  aria-label={`Role of ${user.email}`}
                  value={user.role}
                  disabled={setRole.isPending}
                  onChange={(e) => setRole.mutate({ id: user.id, role: e.target.value as Role })}
                >
                  <RoleOptions />
                </Select>
              </TableCell>
              <TableCell data-testid={`user-2fa-${user.email}`}>
                {user.hasTotp ? <Badge tone="success">on</Badge> : <span className="text-sm text-muted">off</span>}
              </TableCell>
              <TableCell className="text-muted">
                <Timestamp value={user.lastLoginAt} />
              </TableCell>
              <TableCell className="space-x-1 text-right">
                {user.hasTotp && !isMe ? (
                  <ConfirmButton
                    label="Reset 2FA"
                    size="sm"
                    variant="ghost"
                    tone="danger"
                    confirmLabel="Reset two-factor sign-in"
                    title={`Reset two-factor sign-in of ${user.email}?`}
                    description="For a user who lost their authenticator: they sign in with their password alone until they set it up again. Audited."
                    onConfirm={() => handleResetTotp(user)}
                  />
                ) : null}
                {isMe ? null : (
                  <ConfirmButton
                    label="Delete"
                    size="sm"
                    variant="ghost"
                    tone="danger"
                    confirmLabel="Delete"
                    title={`Delete user ${user.email}?`}
                    description="They can no longer sign in. The audit log keeps their past actions."
                    onConfirm={() => handleDelete(user)}
                  />
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
