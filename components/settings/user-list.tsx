"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Timestamp } from "@/components/audit/timestamp";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
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
  const [deleting, setDeleting] = useState<User | null>(null);
  const setRole = api.user.setRole.useMutation({
    onSuccess: (user) => toast.success(`${user.email} is now ${user.role}`),
    onError: (err) => toast.error(messageOf(err)),
    // Refetch either way: on failure the select snaps back to the stored role.
    onSettled: () => void utils.user.list.invalidate(),
  });
  const remove = api.user.delete.useMutation();

  async function handleDelete() {
    if (!deleting) return;
    try {
      await remove.mutateAsync({ id: deleting.id });
    } catch (err) {
      toast.error(messageOf(err));
      throw err;
    }
    toast.success(`User ${deleting.email} deleted`);
    void utils.user.list.invalidate();
  }

  if (users.isPending) return <LoadingBlock label="Loading users" />;
  if (users.isError) return <LoadError error={users.error} onRetry={() => void users.refetch()} title="Could not load users" />;

  return (
    <>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Email</TableHead>
            <TableHead>Role</TableHead>
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
                <TableCell className="text-muted">
                  <Timestamp value={user.lastLoginAt} />
                </TableCell>
                <TableCell className="text-right">
                  {isMe ? null : (
                    <Button type="button" size="sm" variant="ghost" onClick={() => setDeleting(user)}>
                      Delete
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => (open ? undefined : setDeleting(null))}
        tone="danger"
        title={`Delete user ${deleting?.email ?? ""}?`}
        description="They can no longer sign in. The audit log keeps their past actions."
        confirmLabel="Delete"
        onConfirm={handleDelete}
      />
    </>
  );
}
