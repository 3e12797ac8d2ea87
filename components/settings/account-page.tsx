"use client";

import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { PageHeader } from "@/components/ui/page-header";
import { api } from "@/trpc/react";
import { PasswordCard } from "./password-card";
import { SessionsCard } from "./sessions-card";
import { TwoFactorCard } from "./two-factor-card";

/** The signed-in user's own account: password and two-factor sign-in (any role). */
export function AccountPage() {
  const account = api.account.get.useQuery();
  return (
    <>
      <PageHeader
        title="Your account"
        description={account.data ? `${account.data.email} · ${account.data.role}` : "Password and two-factor sign-in."}
      />
      {account.isPending ? (
        <LoadingBlock label="Loading your account" />
      ) : account.isError ? (
        <LoadError error={account.error} onRetry={() => void account.refetch()} title="Could not load your account" />
      ) : (
        <div className="grid gap-4">
          <TwoFactorCard account={account.data} />
          <PasswordCard />
          <SessionsCard />
        </div>
      )}
    </>
  );
}
