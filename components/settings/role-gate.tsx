"use client";

import type { ReactNode } from "react";
import { useCan } from "@/components/auth/role-context";
import { EmptyState } from "@/components/ui/empty-state";
import { IconKey } from "@/components/ui/icons";
import type { Role } from "@/server/domain/roles";

/**
 * Shows `children` only to users with at least `role`. UI courtesy: every procedure checks the role
 * again on the server, so this only spares lower roles a form they could not submit.
 */
export function RoleGate({ role, what, children }: { role: Role; what: string; children: ReactNode }) {
  const isAllowed = useCan(role);
  if (isAllowed) return <>{children}</>;
  return (
    <EmptyState
      icon={<IconKey className="size-5" />}
      title={`This needs ${role}`}
      description={`Only users with the ${role} role can ${what}. Ask an admin if you need access.`}
    />
  );
}
