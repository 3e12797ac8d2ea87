"use client";

import { type FormEvent, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";
import { api } from "@/trpc/react";
import { type EnvOverride, type EnvViolation, EnvViolations, violationsOf } from "./env-violations";

/**
 * Admins edit the environment as .env text. It opens on the newest version with its secrets revealed
 * (the reveal is audited); saving makes a new version, which the next deploy uses. A save that breaks
 * one of the plan's secret rules is refused with the rules listed beside the text; an admin may accept
 * each risk with a typed reason, which retries the save with those overrides.
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
  const isAdmin = useCan("ADMIN");
  const formRef = useRef<HTMLFormElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [violations, setViolations] = useState<EnvViolation[]>([]);
  const [overrides, setOverrides] = useState<EnvOverride[]>([]);
  const save = api.env.save.useMutation({
    onSuccess: (v) => {
      const risks = overrides.length ? ` (${overrides.length} risk${overrides.length > 1 ? "s" : ""} accepted)` : "";
      toast.success(`Environment version ${v.version} saved${risks}: the next deploy uses it`);
      void utils.env.invalidate();
      onDone();
    },
    onError: (err) => {
      const broken = violationsOf(err);
      setViolations(broken ?? []);
      setError(broken ? null : (fieldErrorsOf(err).content ?? messageOf(err)));
    },
  });

  function submit(withOverrides: EnvOverride[]) {
    if (!formRef.current) return;
    const form = new FormData(formRef.current);
    setError(null);
    save.mutate({ stack, content: String(form.get("content") ?? ""), note: String(form.get("note") ?? ""), overrides: withOverrides });
  }
  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    submit(overrides);
  }
  function handleAccept(override: EnvOverride) {
    const next = [...overrides.filter((o) => o.rule !== override.rule || o.key !== override.key), override];
    setOverrides(next);
    submit(next);
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
    <div className={violations.length ? "grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]" : "grid"}>
      <form ref={formRef} onSubmit={handleSubmit} noValidate className="grid content-start gap-3" data-testid="env-editor">
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
      {violations.length ? (
        <EnvViolations violations={violations} accepted={overrides} canAccept={isAdmin} isSaving={save.isPending} onAccept={handleAccept} />
      ) : null}
    </div>
  );
}
