"use client";

import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { api } from "@/trpc/react";

/** Ends every session of the caller's account (a lost laptop, a shared computer); API tokens stay. */
export function SessionsCard() {
  const end = api.account.signOutEverywhere.useMutation();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sessions</CardTitle>
        <CardDescription>
          Signed in on a computer you no longer have? End every session of your account, this one included. API tokens are not affected.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <ConfirmButton
          label="Sign out everywhere"
          variant="secondary"
          tone="danger"
          confirmLabel="Sign out everywhere"
          title="Sign out everywhere?"
          description="Every browser signed in to your account, this one included, has to sign in again."
          onConfirm={async () => {
            await end.mutateAsync();
            window.location.assign("/login?ended=sessions");
          }}
        />
      </CardContent>
    </Card>
  );
}
