"use client";

import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { api } from "@/trpc/react";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";
import { checkInput } from "@/components/ui/check-input";
import { ZDeploySettings } from "@/server/domain/deploy";

const FIELDS = [
  { key: "healthStartPeriodMs", label: "Start period (ms)", hint: "Wait before the first probe" },
  { key: "healthAttempts", label: "Health probes", hint: "Attempts before the gate fails" },
  { key: "healthIntervalMs", label: "Probe interval (ms)" },
  { key: "healthTimeoutMs", label: "Probe timeout (ms)" },
  { key: "drainMs", label: "Drain (ms)", hint: "Old container keeps serving in-flight requests" },
  { key: "stopTimeoutSec", label: "Stop grace (s)" },
  { key: "bluePort", label: "Blue port" },
  { key: "greenPort", label: "Green port" },
  { key: "keepPrevious", label: "Containers kept", hint: "Stopped previous versions for instant rollback" },
  { key: "caddyAdminPort", label: "Caddy admin port" },
  { key: "caddyUpstreamId", label: "Caddy upstream @id" },
] as const;

/** The stack's health gate and blue/green settings (admins edit, others read). */
export function DeploySettingsCard({ stack }: { stack: string }) {
  const isAdmin = useCan("ADMIN");
  const settings = api.stack.deploySettings.useQuery({ idOrName: stack });
  const save = api.stack.setDeploySettings.useMutation();
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const values = Object.fromEntries(FIELDS.map((f) => [f.key, String(form.get(f.key) ?? "")]));
    const checked = checkInput(ZDeploySettings, values);
    if (!checked.ok) return (setErrors(checked.errors), void toast.error("Check the highlighted fields"));
    setErrors({});
    try {
      await save.mutateAsync({ idOrName: stack, settings: values });
      toast.success("Deploy settings saved");
      await settings.refetch();
    } catch (err) {
      const fe = fieldErrorsOf(err);
      setErrors(Object.fromEntries(Object.entries(fe).map(([k, v]) => [k.replace(/^settings\./, ""), v])));
      toast.error(Object.keys(fe).length ? "Check the highlighted fields" : messageOf(err));
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Deploy settings</CardTitle>
        <CardDescription>Health gate, drain and blue/green ports used by every deploy and rollback of this stack.</CardDescription>
      </CardHeader>
      <CardContent>
        {settings.data ? (
          <form onSubmit={submit} className="grid grid-cols-1 gap-3 sm:grid-cols-3" noValidate key={JSON.stringify(settings.data)}>
            {FIELDS.map((f) => (
              <Field key={f.key} label={f.label} hint={"hint" in f ? f.hint : undefined} error={errors[f.key]}>
                <Input
                  mono
                  name={f.key}
                  defaultValue={String(settings.data[f.key])}
                  readOnly={!isAdmin}
                  inputMode={f.key === "caddyUpstreamId" ? "text" : "numeric"}
                />
              </Field>
            ))}
            {isAdmin ? (
              <div className="sm:col-span-3">
                <Button type="submit" loading={save.isPending}>
                  Save deploy settings
                </Button>
              </div>
            ) : null}
          </form>
        ) : (
          <span className="text-sm text-muted">Loading…</span>
        )}
      </CardContent>
    </Card>
  );
}
