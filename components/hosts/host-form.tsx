"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { HOST_ROLES, type HostRole } from "@/server/domain/roles";
import { reportFormError, reportInvalidInput } from "@/components/settings/form-errors";
import { checkInput } from "@/components/ui/check-input";
import { ZCreateHostInput, ZUpdateHostInput } from "@/server/domain/inventory";
import { api } from "@/trpc/react";
import type { HostView } from "./host-status";
import { KeySourceFields, type KeySource } from "./key-source-fields";

const KNOWN_FIELDS = ["name", "address", "sshPort", "sshUser", "privateKey", "privateKeyPath", "privateAddress", "dockerSocket", "roles"];

/** Create (no `host`) or edit a host, checked with the procedure's own schema first; the server's field errors land under each field too. */
export function HostForm({ host }: { host?: HostView }) {
  const router = useRouter();
  const utils = api.useUtils();
  const [keySource, setKeySource] = useState<KeySource>("paste");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  function onSaved(saved: HostView) {
    toast.success("Host saved");
    void utils.host.list.invalidate();
    void utils.host.get.invalidate({ id: saved.id });
    router.push(`/hosts/${saved.id}`);
  }
  function onFailed(err: unknown) {
    const { fieldErrors, formError } = reportFormError(err, KNOWN_FIELDS);
    setErrors(fieldErrors);
    setFormError(formError);
  }
  const create = api.host.create.useMutation({ onSuccess: onSaved, onError: onFailed });
  const update = api.host.update.useMutation({ onSuccess: onSaved, onError: onFailed });
  const isSaving = create.isPending || update.isPending;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "");
    const input = {
      name: text("name"),
      address: text("address"),
      sshPort: text("sshPort"),
      sshUser: text("sshUser"),
      // Security: only the chosen key source is sent, so a stale pasted key never rides along.
      privateKey: keySource === "paste" ? text("privateKey") : undefined,
      privateKeyPath: keySource === "path" ? text("privateKeyPath") : undefined,
      privateAddress: text("privateAddress"),
      dockerSocket: text("dockerSocket"),
      roles: form.getAll("roles").map(String) as HostRole[],
    };
    setFormError(null);
    const checked = host ? checkInput(ZUpdateHostInput, { ...input, id: host.id }) : checkInput(ZCreateHostInput, input);
    if (!checked.ok) return (setErrors(checked.errors), reportInvalidInput());
    setErrors({});
    if (host) update.mutate({ ...input, id: host.id });
    else create.mutate(input);
  }

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Card>
        <CardContent className="grid gap-4">
          {formError ? (
            <Alert tone="danger" subtle>
              {formError}
            </Alert>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Name" error={errors.name} hint="Lowercase letters, digits and hyphens, e.g. app-1.">
              <Input required name="name" mono defaultValue={host?.name} autoFocus autoComplete="off" />
            </Field>
            <Field label="Address" error={errors.address} hint="Public hostname or IP the panel connects to.">
              <Input required name="address" mono defaultValue={host?.address} autoComplete="off" />
            </Field>
            <Field label="SSH port" error={errors.sshPort}>
              <Input required name="sshPort" mono inputMode="numeric" defaultValue={host?.sshPort ?? 22} />
            </Field>
            <Field label="SSH user" error={errors.sshUser}>
              <Input required name="sshUser" mono defaultValue={host?.sshUser ?? "root"} autoComplete="off" />
            </Field>
          </div>
          <KeySourceFields source={keySource} onSourceChange={setKeySource} isOptional={Boolean(host)} errors={errors} />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Private address" error={errors.privateAddress} hint="Optional: the address other hosts use to reach this one.">
              <Input name="privateAddress" mono defaultValue={host?.privateAddress ?? ""} autoComplete="off" />
            </Field>
            <Field label="Docker socket path" error={errors.dockerSocket}>
              <Input required name="dockerSocket" mono defaultValue={host?.dockerSocket ?? "/var/run/docker.sock"} />
            </Field>
          </div>
          <fieldset className="grid gap-2">
            <legend className="mb-2 text-sm font-medium text-fg">Roles</legend>
            <div className="flex flex-wrap gap-x-5 gap-y-2">
              {HOST_ROLES.map((role) => (
                <Checkbox key={role} name="roles" value={role} label={role} defaultChecked={host?.roles.includes(role)} />
              ))}
            </div>
            {errors.roles ? (
              <p role="alert" className="text-xs font-medium text-danger">
                {errors.roles}
              </p>
            ) : null}
          </fieldset>
        </CardContent>
        <CardFooter>
          <Button type="button" variant="secondary" onClick={() => router.back()} disabled={isSaving}>
            Cancel
          </Button>
          <Button type="submit" loading={isSaving}>
            {host ? "Save host" : "Add host"}
          </Button>
        </CardFooter>
      </Card>
    </form>
  );
}
