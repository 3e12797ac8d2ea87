"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Timestamp } from "@/components/audit/timestamp";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { messageOf } from "@/trpc/errors";
import { api } from "@/trpc/react";
import { EnvEditor } from "./env-editor";
import { EnvVersionRow } from "./env-version-row";
import { HostEnvFiles } from "./host-env-files";

/**
 * The app's environment for this stack. Unmanaged, deploys copy the live container's env; once a
 * version is saved here (typed, or imported from the running app), deploys use the newest one.
 */
export function AppEnvCard({ stack }: { stack: string }) {
  const isAdmin = useCan("ADMIN");
  const canRead = useCan("DEPLOYER");
  const utils = api.useUtils();
  const versions = api.env.list.useQuery({ stack });
  const [isEditing, setIsEditing] = useState(false);
  const importLive = api.env.importFromLive.useMutation({
    onSuccess: (v) => {
      toast.success(`Environment version ${v.version} imported (${v.keys.length} keys)`);
      void utils.env.list.invalidate();
    },
    onError: (err) => toast.error(messageOf(err)),
  });
  const newest = versions.data?.[0];

  return (
    <Card data-testid="app-env">
      <CardHeader
        actions={
          isAdmin && !isEditing && versions.isSuccess ? (
            <>
              {newest ? null : (
                <Button size="sm" variant="secondary" loading={importLive.isPending} onClick={() => importLive.mutate({ stack })}>
                  Import from the running app
                </Button>
              )}
              <Button size="sm" variant="secondary" onClick={() => setIsEditing(true)}>
                {newest ? "Edit" : "Write one"}
              </Button>
            </>
          ) : null
        }
      >
        <CardTitle>
          App environment{" "}
          {newest ? (
            <Badge tone="info">version {newest.version}</Badge>
          ) : versions.isSuccess ? (
            <Badge tone="neutral">not managed</Badge>
          ) : (
            <Badge tone="neutral">loading…</Badge>
          )}
        </CardTitle>
        <CardDescription>
          {newest ? (
            <>
              Deploys start new app containers with version {newest.version} (saved by {newest.createdBy},{" "}
              <Timestamp value={newest.createdAt} />) and write it to <code className="font-mono">/srv/pixelfox/.env</code> on each app
              host; a host with no app container yet gets its first one from it. Secret values are stored encrypted and shown masked.
            </>
          ) : (
            "Deploys copy the env of the running app container. Import it or write one here to manage it in the panel: versioned, encrypted, diffed."
          )}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {isEditing ? <EnvEditor stack={stack} baseId={newest?.id ?? null} onDone={() => setIsEditing(false)} /> : null}
        {canRead && versions.data?.length ? (
          <ul className="grid gap-2" aria-label="Environment versions">
            {versions.data.slice(0, 10).map((v, i) => (
              <EnvVersionRow key={v.id} version={v} isNewest={i === 0} />
            ))}
          </ul>
        ) : null}
        {canRead && newest ? <HostEnvFiles stack={stack} newest={newest.version} /> : null}
      </CardContent>
    </Card>
  );
}
