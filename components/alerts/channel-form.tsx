"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { checkInput } from "@/components/ui/check-input";
import { ZChannelInput } from "@/server/domain/alerts";

/** Add a webhook (Slack-compatible) or SMTP email channel; the server validates and encrypts. */
export function ChannelForm() {
  const utils = api.useUtils();
  const [kind, setKind] = useState<"webhook" | "email">("webhook");
  const [error, setError] = useState<string | null>(null);
  const save = api.alerts.saveChannel.useMutation({
    onSuccess: (c) => {
      setError(null);
      toast.success(`Channel ${c.name} saved`);
      void utils.alerts.channels.invalidate();
    },
    onError: (err) => setError(messageOf(err)),
  });
  // onSubmit, not a form action: React resets a form after its action runs, losing input on errors.
  const submit = (form: FormData) => {
    const text = (k: string) => String(form.get(k) ?? "").trim();
    const name = text("name");
    const channel =
      kind === "webhook"
        ? { kind, name, url: text("url"), enabled: true }
        : {
            kind,
            name,
            host: text("host"),
            port: Number(text("port")),
            secure: form.get("secure") === "on",
            username: text("username") || undefined,
            password: text("password") || undefined,
            from: text("from"),
            to: text("to")
              .split(/[,\s]+/)
              .filter(Boolean),
            enabled: true,
          };
    const checked = checkInput(ZChannelInput, channel);
    if (!checked.ok) return setError(checked.message);
    save.mutate({ channel: channel });
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit(new FormData(e.currentTarget));
      }}
      className="grid gap-3"
      aria-label="Add channel"
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Channel type">
          <Select value={kind} onChange={(e) => setKind(e.target.value as "webhook" | "email")} name="kind">
            <option value="webhook">Webhook (Slack-compatible)</option>
            <option value="email">Email (SMTP)</option>
          </Select>
        </Field>
        <Field label="Channel name" required>
          <Input name="name" placeholder="ops-slack" />
        </Field>
      </div>
      {kind === "webhook" ? (
        <Field label="Webhook URL" required hint='Receives POST {"text": "…"}; it may not point at this panel.'>
          <Input name="url" mono placeholder="https://hooks.slack.com/services/…" />
        </Field>
      ) : (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="SMTP host" required>
            <Input name="host" mono placeholder="smtp.example.com" />
          </Field>
          <Field label="SMTP port" required>
            <Input name="port" mono defaultValue="587" />
          </Field>
          <Field label="SMTP user">
            <Input name="username" autoComplete="off" />
          </Field>
          <Field label="SMTP password" hint="Stored encrypted.">
            <Input name="password" type="password" autoComplete="new-password" />
          </Field>
          <Field label="From address" required>
            <Input name="from" placeholder="ops@example.com" />
          </Field>
          <Field label="Recipients" required hint="Comma-separated.">
            <Input name="to" placeholder="admin@example.com" />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="secure" /> Implicit TLS (port 465)
          </label>
        </div>
      )}
      {error ? (
        <Alert tone="danger" subtle title="Channel not saved">
          {error}
        </Alert>
      ) : null}
      <div>
        <Button type="submit" loading={save.isPending}>
          Add channel
        </Button>
      </div>
    </form>
  );
}
