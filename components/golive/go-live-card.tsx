"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { checkInput } from "@/components/ui/check-input";
import { ZImageTag } from "@/server/domain/fields";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";

/** Go live: the plan's whole order on the placed hosts, as one resumable job. */
export function GoLiveCard({ stack, onStarted }: { stack: string; onStarted: (jobId: string) => void }) {
  const isAdmin = useCan("ADMIN");
  const [tag, setTag] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [isOpen, setOpen] = useState(false);
  const tags = api.deploy.tags.useQuery({ stack }, { retry: false });
  const start = api.golive.goLive.useMutation();

  function ask(e: React.FormEvent) {
    e.preventDefault();
    const checked = checkInput(ZImageTag, tag.trim());
    if (!checked.ok) return setError(checked.message.replace(/^_form: /, ""));
    setError(null);
    setOpen(true);
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Go live</CardTitle>
        <CardDescription>
          db → cache → the app&apos;s first start → migrate up → storage nodes → proxy → the plan&apos;s smoke tests and the storage pool
          check, with the templates&apos; known faults corrected (each correction is said in the job log). Run it again after a failure:
          what is already up is checked, not made again.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={ask} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
          <Field
            label="App image tag"
            id="golive-tag"
            error={error}
            hint={tags.data ? `${tags.data.length} tags in the registry` : undefined}
            className="flex-1"
          >
            <Input
              mono
              list="golive-tag-options"
              value={tag}
              onChange={(e) => setTag(e.target.value)}
              placeholder="v2.0.0"
              disabled={!isAdmin}
            />
          </Field>
          <datalist id="golive-tag-options">
            {tags.data?.map((t) => (
              <option key={t.tag} value={t.tag} />
            ))}
          </datalist>
          <Button type="submit" disabled={!isAdmin}>
            Go live
          </Button>
        </form>
        <ConfirmDialog
          open={isOpen}
          onOpenChange={setOpen}
          title={`Take ${stack} live with ${tag.trim()}?`}
          description="The panel creates the db, cache, app and proxy containers on their hosts (directories, .env files and configs first), runs the migrations and the smoke tests. Existing containers of other software are never touched: a host with a conflict is refused before anything changes."
          confirmLabel="Go live"
          tone="default"
          onConfirm={async () => {
            try {
              const res = await start.mutateAsync({ stack, tag: tag.trim() });
              toast.success("Go-live started");
              onStarted(res.jobId);
            } catch (err) {
              toast.error(messageOf(err));
              throw err;
            }
          }}
        />
      </CardContent>
    </Card>
  );
}
