"use client";

import { PageHeader } from "@/components/ui/page-header";
import { CreateTokenForm } from "./create-token-form";
import { RoleGate } from "./role-gate";
import { TokenList } from "./token-list";

export function TokensPage() {
  return (
    <>
      <PageHeader title="API tokens" description="Bearer tokens for CI and scripts; each carries one role." />
      <RoleGate role="ADMIN" what="manage API tokens">
        <div className="grid gap-4">
          <TokenList />
          <CreateTokenForm />
        </div>
      </RoleGate>
    </>
  );
}
