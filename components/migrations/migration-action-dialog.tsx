"use client";

import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/input";
import { api } from "@/trpc/react";

export type AdminAction = { kind: "down" | "goto" | "force" };

const TEXT = {
  down: {
    title: "Step the database down one migration?",
    body: "Runs the current version's .down.sql: it may drop tables and data.",
    label: "Step down",
  },
  goto: {
    title: "Migrate to a version?",
    body: "Runs up or down files one version at a time until the database is at the version given. Down files may drop data.",
    label: "Go to version",
  },
  force: {
    title: "Force the recorded version?",
    body: "Sets the version and clears the dirty flag without running any SQL. Use it only after fixing the schema by hand.",
    label: "Force version",
  },
} as const;

/** Admin migrate actions behind a typed confirmation (the database name). */
export function MigrationActionDialog({
  stack,
  tag,
  database,
  action,
  onClose,
  onStarted,
}: {
  stack: string;
  tag?: string;
  database: string;
  action: AdminAction | null;
  onClose: () => void;
  onStarted: (jobId: string) => void;
}) {
  const [version, setVersion] = useState("");
  const down = api.migrations.down.useMutation();
  const goto = api.migrations.goto.useMutation();
  const force = api.migrations.force.useMutation();
  const text = action ? TEXT[action.kind] : TEXT.down;

  async function confirm() {
    if (!action) return;
    const n = Number(version);
    if (action.kind !== "down" && (!version.trim() || !Number.isInteger(n))) throw new Error("Enter a version number");
    const res =
      action.kind === "down"
        ? await down.mutateAsync({ stack, tag })
        : action.kind === "goto"
          ? await goto.mutateAsync({ stack, tag, version: n })
          : await force.mutateAsync({ stack, version: n });
    toast.success("Migration started");
    setVersion("");
    onStarted(res.jobId);
  }

  return (
    <ConfirmDialog
      open={action !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={text.title}
      description={`${text.body} Type the database name to confirm.`}
      confirmLabel={text.label}
      tone="danger"
      requireText={database}
      onConfirm={confirm}
    >
      {action && action.kind !== "down" ? (
        <label className="flex flex-col gap-1 text-sm">
          Version
          <Input mono inputMode="numeric" value={version} onChange={(e) => setVersion(e.target.value)} aria-label="Version" />
        </label>
      ) : null}
    </ConfirmDialog>
  );
}
