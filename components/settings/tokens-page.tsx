"use client";

import { PageHeader } from "@/components/ui/page-header";
import { CreateTokenForm } from "./create-token-form";
import { RoleGate } from "./role-gate";
import { TokenList } from "./token-list";

export function TokensPage() {
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Bearer tokens for CI and scripts. Each acts with at most its creator's current role (system tokens, made with the CLI, with their own role); tokens never manage users or tokens."
      />
      <RoleGate role="ADMIN" what="manage API tokens">
        <div className="grid gap-4">
          <TokenList />
          <CreateTokenForm />
        </div>
      </RoleGate>
    </>
  );
}
