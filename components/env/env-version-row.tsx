"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Timestamp } from "@/components/audit/timestamp";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { api, type RouterOutputs } from "@/trpc/react";
import { EnvChangeList } from "./env-change-list";

type Version = RouterOutputs["env"]["list"][number];

/** One saved version: who and when, its note, and on demand its values (masked) and what it changed. */
export function EnvVersionRow({ version, isNewest }: { version: Version; isNewest: boolean }) {
  const [isOpen, setIsOpen] = useState(isNewest);
  const isAdmin = useCan("ADMIN");
  const utils = api.useUtils();
  const restore = api.env.restore.useMutation();
  const detail = api.env.get.useQuery({ id: version.id }, { enabled: isOpen });
  const diff = api.env.diff.useQuery({ id: version.id }, { enabled: isOpen });
  return (
    <li className="rounded-md border border-border p-3" data-testid={`env-version-${version.version}`}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <span className="font-medium">Version {version.version}</span>
        <span className="text-muted">
          {version.createdBy} · <Timestamp value={version.createdAt} /> · {version.keys.length} keys
        </span>
        {version.note ? <span className="text-muted">“{version.note}”</span> : null}
        <span className="ml-auto flex gap-1">
          {isAdmin && !isNewest ? (
            <ConfirmButton
              label="Use this version"
              size="sm"
              variant="ghost"
              tone="default"
              confirmLabel={`Use version ${version.version}`}
              title={`Use version ${version.version} again?`}
              description="Its values are saved as a new version; the next deploy starts the app with them. Nothing changes on the hosts until then."
              onConfirm={async () => {
                const v = await restore.mutateAsync({ id: version.id });
                toast.success(`Version ${v.version} saved from version ${version.version}: the next deploy uses it`);
                void utils.env.invalidate();
              }}
            />
          ) : null}
          <Button size="sm" variant="ghost" onClick={() => setIsOpen((o) => !o)} aria-expanded={isOpen}>
            {isOpen ? "Hide" : "Show"}
          </Button>
        </span>
      </div>
      {isOpen ? (
        <div className="mt-2 grid gap-3 md:grid-cols-2">
          <div>
            <p className="mb-1 text-xs font-medium text-muted">Values</p>
            <pre className="max-h-64 overflow-auto rounded bg-subtle p-2 font-mono text-xs" data-testid="env-values">
              {detail.data?.entries.map(([k, v]) => `${k}=${v}`).join("\n") ?? "Loading…"}
            </pre>
          </div>
          <div>
            <p className="mb-1 text-xs font-medium text-muted">Changes from the version before</p>
            <EnvChangeList changes={diff.data} testId="env-diff" />
          </div>
        </div>
      ) : null}
    </li>
  );
}
