"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { AuditFixId } from "@/server/domain/security-audit";
import { api, type RouterOutputs } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { FIX_LABELS } from "./security-look";

type Preview = RouterOutputs["security"]["fixPreview"];

/**
 * The panel's own fix for a check (admins): first what it will change, then the host's name typed to confirm.
 * Security: nothing changes on the host before the preview is shown and the name is typed; the server checks the name again.
 */
export function FixButton({
  stack,
  host,
  fix,
  checkLabel,
  onRerun,
}: {
  stack: string;
  host: string;
  fix: AuditFixId;
  checkLabel: string;
  onRerun: () => void;
}) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const fixPreview = api.security.fixPreview.useMutation({
    onSuccess: setPreview,
    onError: (err) => toast.error(messageOf(err)),
  });
  const applyFix = api.security.applyFix.useMutation();

  async function handleConfirm() {
    try {
      const outcome = await applyFix.mutateAsync({ stack, host, fix, confirm: host });
      toast.success(`${FIX_LABELS[fix]} on ${host}: done`, {
        description: <OutcomeLines changed={outcome.changed} backupId={outcome.backupId} />,
        action: { label: "Run audit now", onClick: onRerun },
        duration: 15_000,
      });
    } catch (err) {
      toast.error(messageOf(err));
      throw err;
    }
  }

  return (
    <>
      <Button
        type="button"
        size="sm"
        variant="secondary"
        loading={fixPreview.isPending}
        title={`${FIX_LABELS[fix]}: ${checkLabel}`}
        onClick={() => fixPreview.mutate({ stack, host, fix })}
      >
        Fix…
      </Button>
      <ConfirmDialog
        open={preview !== null}
        onOpenChange={(open) => {
          if (!open) setPreview(null);
        }}
        tone="danger"
        title={`${FIX_LABELS[fix]} on ${host}?`}
        description="The panel will change this on the host. Nothing has been changed yet."
        confirmLabel="Apply fix"
        requireText={host}
        onConfirm={handleConfirm}
      >
        <WillChange lines={preview?.willChange ?? []} />
      </ConfirmDialog>
    </>
  );
}

function WillChange({ lines }: { lines: string[] }) {
  if (lines.length === 0) return <p className="text-sm text-muted">The panel found nothing to change.</p>;
  return (
    <div className="grid gap-1">
      <p className="text-sm font-medium text-fg">What will change</p>
      <ul
        aria-label="What will change"
        className="grid gap-1 rounded-md bg-subtle px-3 py-2 font-mono text-[12px] whitespace-pre-wrap text-fg"
      >
        {lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

function OutcomeLines({ changed, backupId }: { changed: string[]; backupId: string | null }) {
  return (
    <div className="grid gap-1">
      <ul className="grid gap-0.5 font-mono text-[12px] whitespace-pre-wrap">
        {(changed.length ? changed : ["Nothing needed changing."]).map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
      {backupId ? <p>Backup taken first: {backupId}</p> : null}
      <p>Run the audit again to see the check pass.</p>
    </div>
  );
}
