"use client";

import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle, CardDescription } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { Role } from "@/server/domain/roles";
import { reportFormError, reportInvalidInput } from "@/components/settings/form-errors";
import { checkInput } from "@/components/ui/check-input";
import { ZCreateTokenInput } from "@/server/domain/accounts";
import { api } from "@/trpc/react";
import { RoleOptions } from "./role-options";
import { ExpirySelect, ScopeSelect, toExpiresInDays } from "./token-form-fields";

export function CreateTokenForm() {
  const utils = api.useUtils();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [role, setRole] = useState<Role>("DEPLOYER");
  // Security: the clear token lives only in this state until the dialog closes; it is never stored.
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const create = api.token.create.useMutation({
    onError: (err) => {
      setErrors(reportFormError(err, ["name", "role", "expiresInDays", "stack"]).fieldErrors);
    },
  });

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const input = {
      name: String(form.get("name") ?? ""),
      role,
      expiresInDays: toExpiresInDays(String(form.get("expiresInDays") ?? "never")),
      stack: String(form.get("stack") ?? "") || null,
    };
    const checked = checkInput(ZCreateTokenInput, input);
    if (!checked.ok) return (setErrors(checked.errors), reportInvalidInput());
    setErrors({});
    try {
      const result = await create.mutateAsync(input);
      formElement.reset();
      setRole("DEPLOYER");
      setCreated({ name: result.view.name, token: result.token });
      toast.success(`Token ${result.view.name} created`);
      void utils.token.list.invalidate();
    } catch {
      // Shown by onError.
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Create token</CardTitle>
        <CardDescription>
          For CI and scripts: send it as an Authorization: Bearer header. It acts with at most your role, and is revoked if your account is
          deleted.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={handleSubmit} noValidate className="grid gap-4 sm:grid-cols-[1fr_auto_auto_auto_auto] sm:items-start">
          <Field label="Name" error={errors.name} hint="What uses it, e.g. github-actions.">
            <Input required name="name" autoComplete="off" />
          </Field>
          <Field label="Role" error={errors.role}>
            <Select required name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <RoleOptions />
            </Select>
          </Field>
          <ExpirySelect role={role} error={errors.expiresInDays} />
          <ScopeSelect error={errors.stack} />
          <Button type="submit" loading={create.isPending} className="sm:mt-6">
            Create token
          </Button>
        </form>
      </CardContent>
      <Dialog
        open={created !== null}
        onOpenChange={(open) => (open ? undefined : setCreated(null))}
        title={`Token ${created?.name ?? ""} created`}
        footer={
          <Button type="button" onClick={() => setCreated(null)}>
            Done
          </Button>
        }
      >
        {created ? (
          <div className="grid gap-3">
            <Alert tone="warning" title="Copy it now">
              This is the only time the token is shown. The panel keeps only a hash; if you lose it, revoke it and create a new one.
            </Alert>
            <Input mono readOnly value={created.token} aria-label="API token" onFocus={(e) => e.currentTarget.select()} data-autofocus />
            <div>
              <CopyButton text={created.token} label="Copy token" />
            </div>
          </div>
        ) : null}
      </Dialog>
    </Card>
  );
}
