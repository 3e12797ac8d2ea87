import type { ReactNode } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { IconShieldCheck } from "@/components/ui/icons";

/** Before the first run: what the audit looks at, and the button that starts it. */
export function AuditEmptyState({ action }: { action: ReactNode }) {
  return (
    <EmptyState
      icon={<IconShieldCheck className="size-5" />}
      title="No audit yet"
      description="The audit reads each host of the stack and changes nothing: SSH (keys only, no root password), the firewall, which ports are published, the cache's password and binding, the database's accounts and binding, the app's env secrets, and TLS at the proxy. Each check is pass, fail or unknown, with the evidence and the fix."
      action={action}
    />
  );
}
