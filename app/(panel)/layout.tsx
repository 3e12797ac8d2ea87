import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { signOutAction } from "@/app/(auth)/actions";
import { RoleProvider } from "@/components/auth/role-context";
import { AppShell } from "@/components/layout/app-shell";
import { resolveActor } from "@/server/trpc/context";
import { countUsers } from "@/server/services/users/users";

export const dynamic = "force-dynamic";

/** Every panel page needs a signed-in user; first run goes to /setup. */
export default async function PanelLayout({ children }: { children: ReactNode }) {
  const actor = await resolveActor(await headers());
  if (!actor) redirect((await countUsers()) === 0 ? "/setup" : "/login");
  return (
    <RoleProvider role={actor.role}>
      <AppShell user={{ email: actor.label, role: actor.role }} signOutAction={signOutAction}>
        {children}
      </AppShell>
    </RoleProvider>
  );
}
