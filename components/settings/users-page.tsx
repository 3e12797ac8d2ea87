"use client";

import { PageHeader } from "@/components/ui/page-header";
import { CreateUserForm } from "./create-user-form";
import { RoleGate } from "./role-gate";
import { UserList } from "./user-list";

export function UsersPage() {
  return (
    <>
      <PageHeader title="Users" description="People who can sign in to the panel, and what each may do." />
      <RoleGate role="ADMIN" what="manage users">
        <div className="grid gap-4">
          <UserList />
          <CreateUserForm />
        </div>
      </RoleGate>
    </>
  );
}
