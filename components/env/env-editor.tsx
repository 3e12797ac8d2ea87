"use client";

import { type FormEvent, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";
import { api } from "@/trpc/react";

/**
 * Admins edit the environment as .env text. It opens on the newest version with its secrets revealed
 * (the reveal is audited); saving makes a new version, which the next deploy uses.
 */
export function EnvEditor({ stack, baseId, onDone }: { stack: string; baseId: string | null; onDone: () => void }) {
  const utils = api.useUtils();
  // A mutation (each reveal is audited), run once per version the editor opens on.
  const reveal = api.env.reveal.useMutation();
  const { mutate: revealVersion } = reveal;
  const revealedId = useRef<string | null>(null);
  useEffect(() => {
    // The ref keeps React's dev double effect from writing a second audit event.
    if (baseId === null || revealedId.current === baseId) return;
    revealedId.current = baseId;
    revealVersion({ id: baseId });
  }, [baseId, revealVersion]);
  const [error, setError] = useState<string | null>(null);
  const save = api.env.save.useMutation({
    onSuccess: (v) => {
      toast.success(`Environment version ${v.version} saved: the next deploy uses it`);
      void utils.env.invalidate();
      onDone();
    },
    onError: (err) => setError(fieldErrorsOf(err).content ?? messageOf(err)),
  });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    save.mutate({ stack, content: String(form.get("content") ?? ""), note: String(form.get("note") ?? "") });
  }

  if (baseId !== null && reveal.error) {
    return (
      <Alert tone="danger" subtle>
        Could not open the current version: {messageOf(reveal.error)}
      </Alert>
    );
  }
  if (baseId !== null && !reveal.data) return <p className="text-sm text-muted">Loading the current version…</p>;
  return (
    <form onSubmit={handleSubmit} noValidate className="grid gap-3" data-testid="env-editor">
      {error ? (
        <Alert tone="danger" subtle>
          {error}
        </Alert>
      ) : null}
      <Field
        label="Environment (.env)"
        hint="KEY=VALUE per line, # comments; as docker compose's env_file reads it. APP_PORT is set by the deploy."
      >
        <Textarea name="content" mono rows={14} spellCheck={false} defaultValue={reveal.data?.text ?? ""} />
      </Field>
      <Field label="Note" hint="Optional: what changed and why.">
        <Input name="note" maxLength={200} />
      </Field>
      <div className="flex gap-2">
        <Button type="submit" loading={save.isPending}>
          Save as a new version
        </Button>
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
