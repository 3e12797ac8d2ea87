"use client";

import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { Role } from "@/server/domain/roles";
import { reportFormError, reportInvalidInput } from "@/components/settings/form-errors";
import { checkInput } from "@/components/ui/check-input";
import { ZCreateUserInput } from "@/server/domain/accounts";
import { api } from "@/trpc/react";
import { RoleOptions } from "./role-options";

export function CreateUserForm() {
  const utils = api.useUtils();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const create = api.user.create.useMutation({
    onError: (err) => {
      const { fieldErrors, formError } = reportFormError(err, ["email", "password", "role"]);
      setErrors(fieldErrors);
      setFormError(formError);
    },
  });

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setFormError(null);
    const input = {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      role: String(form.get("role")) as Role,
    };
    const checked = checkInput(ZCreateUserInput, input);
    if (!checked.ok) return (setErrors(checked.errors), reportInvalidInput());
    setErrors({});
    try {
      const user = await create.mutateAsync(input);
      toast.success(`User ${user.email} created`);
      formElement.reset();
      void utils.user.list.invalidate();
    } catch {
      // Shown by onError.
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Create user</CardTitle>
      </CardHeader>
      <CardContent>
        <form onSubmit={handleSubmit} noValidate className="grid gap-4 sm:grid-cols-[1fr_1fr_auto_auto] sm:items-start">
          {formError ? (
            <Alert tone="danger" subtle className="sm:col-span-4">
              {formError}
            </Alert>
          ) : null}
          <Field label="Email" error={errors.email}>
            <Input required name="email" type="email" autoComplete="off" />
          </Field>
          <Field label="Password" error={errors.password} hint="At least 12 characters. Share it privately.">
            <Input required name="password" type="password" autoComplete="new-password" />
          </Field>
          <Field label="Role" error={errors.role}>
            <Select required name="role" defaultValue="VIEWER">
              <RoleOptions />
            </Select>
          </Field>
          <Button type="submit" loading={create.isPending} className="sm:mt-6">
            Create user
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
