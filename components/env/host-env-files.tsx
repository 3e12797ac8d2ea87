"use client";

import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import type { Tone } from "@/components/ui/tone";
import { messageOf } from "@/trpc/errors";
import { api, type RouterOutputs } from "@/trpc/react";
import { EnvChangeList } from "./env-change-list";

type HostFile = RouterOutputs["env"]["hostFiles"][number];

const STATE: Record<HostFile["state"], { label: string; tone: Tone }> = {
  current: { label: "up to date", tone: "success" },
  behind: { label: "older version", tone: "info" },
  absent: { label: "no file", tone: "neutral" },
  edited: { label: "edited on the host", tone: "warning" },
  unreadable: { label: "could not read", tone: "danger" },
};

function summary(f: HostFile, newest: number): string {
  switch (f.state) {
    case "current":
      return `Holds version ${f.version}.`;
    case "behind":
      return `Holds version ${f.version}, untouched since the panel wrote it: the next deploy writes version ${newest}.`;
    case "absent":
      return `No file yet: the next deploy writes version ${newest}.`;
    case "edited":
      return `${f.version === null ? "The panel did not write this file" : `Changed on the host after the panel wrote version ${f.version}`}: deploys leave it as it is. Keep its edits as a new version, or overwrite it with version ${newest}.`;
    case "unreadable":
      return f.error;
  }
}

/**
 * Each app host's /srv/pixelfox/.env as it is now, read over SSH when the card opens: a file edited on
 * the host is shown key by key (the change a write would undo) and is never overwritten silently.
 */
export function HostEnvFiles({ stack, newest }: { stack: string; newest: number }) {
  const isAdmin = useCan("ADMIN");
  const utils = api.useUtils();
  const files = api.env.hostFiles.useQuery({ stack }, { refetchOnWindowFocus: false });
  const overwrite = api.env.overwriteHostFile.useMutation();
  const keep = api.env.importHostFile.useMutation({
    onSuccess: (v) => {
      toast.success(`The host's edits saved as version ${v.version}: the next deploy uses them`);
      void utils.env.invalidate();
    },
    onError: (err) => toast.error(messageOf(err)),
  });
  return (
    <section aria-label="Files on the app hosts" className="grid gap-2" data-testid="host-env-files">
      <div className="flex items-center gap-2">
        <h3 className="text-sm font-medium">Files on the app hosts</h3>
        <Button size="sm" variant="ghost" loading={files.isFetching} onClick={() => void files.refetch()}>
          Read again
        </Button>
      </div>
      {files.error ? <p className="text-sm text-danger">{messageOf(files.error)}</p> : null}
      {files.isPending ? <p className="text-sm text-muted">Reading /srv/pixelfox/.env on each app host…</p> : null}
      <ul className="grid gap-2">
        {files.data?.map((f) => (
          <li key={f.host} className="rounded-md border border-border p-3 text-sm" data-testid={`host-env-file-${f.host}`}>
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{f.host}</span>
              <code className="font-mono text-xs text-muted">{f.path}</code>
              <Badge tone={STATE[f.state].tone}>{STATE[f.state].label}</Badge>
              {isAdmin && f.state === "edited" ? (
                <span className="ml-auto flex gap-1">
                  <Button size="sm" variant="secondary" loading={keep.isPending} onClick={() => keep.mutate({ stack, host: f.host })}>
                    Keep the host&apos;s edits
                  </Button>
                  <ConfirmButton
                    label={`Overwrite with version ${newest}`}
                    size="sm"
                    confirmLabel="Overwrite the file"
                    title={`Overwrite ${f.path} on ${f.host}?`}
                    description={`This undoes the ${f.changes.length} change(s) listed on the card. The current file is kept as ${f.path}.prev; the running app is not restarted.`}
                    onConfirm={async () => {
                      const r = await overwrite.mutateAsync({ stack, host: f.host });
                      toast.success(`${f.path} on ${r.host} now holds version ${r.version} (${r.undone.length} hand edit(s) undone)`);
                      void utils.env.hostFiles.invalidate();
                    }}
                  />
                </span>
              ) : null}
            </div>
            <p className="mt-1 text-muted">{summary(f, newest)}</p>
            {f.state === "edited" ? (
              <>
                <EnvChangeList changes={f.changes} testId="host-env-changes" empty="same keys and values; a line could not be read" />
                {f.problems.length ? <p className="mt-1 text-xs text-danger">{f.problems.slice(0, 3).join("; ")}</p> : null}
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
