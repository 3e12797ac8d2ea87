"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Card, CardContent } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";

/** The stack's "encrypt new backups at rest" setting (admins change it; everyone sees it). */
export function EncryptionToggle({ stack }: { stack: string }) {
  const isAdmin = useCan("ADMIN");
  const utils = api.useUtils();
  const current = api.stack.get.useQuery({ idOrName: stack });
  const set = api.stack.setBackupEncryption.useMutation();
  // Shown at once while the change is saved; the stored value takes over again afterwards.
  const [pending, setPending] = useState<boolean | null>(null);
  const enabled = pending ?? current.data?.stack.backupEncryption ?? false;

  async function toggle(next: boolean) {
    setPending(next);
    try {
      await set.mutateAsync({ idOrName: stack, enabled: next });
      await utils.stack.get.invalidate({ idOrName: stack });
      toast.success(next ? "New backups will be encrypted at rest" : "New backups will be stored unencrypted");
    } catch (err) {
      toast.error(messageOf(err));
    } finally {
      setPending(null);
    }
  }

  return (
    <Card>
      <CardContent>
        <Checkbox
          data-testid="backup-encryption-toggle"
          label="Encrypt new backups at rest"
          description="New backup files are stored AES-256-GCM encrypted under a key derived from the panel's master key (back that key up); downloads, restores and drills decrypt them."
          checked={enabled}
          disabled={!isAdmin || !current.data || set.isPending}
          onChange={(e) => void toggle(e.target.checked)}
        />
      </CardContent>
    </Card>
  );
}
