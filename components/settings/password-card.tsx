"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { api } from "@/trpc/react";
import { checkInput } from "@/components/ui/check-input";
import { ZChangePasswordInput } from "@/server/domain/accounts";
import { reportFormError, reportInvalidInput } from "./form-errors";

export function PasswordCard() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const change = api.account.changePassword.useMutation({
    onError: (err) => setErrors(reportFormError(err, ["current", "next"]).fieldErrors),
  });

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const next = String(form.get("next") ?? "");
    if (next !== String(form.get("repeat") ?? "")) {
      setErrors({ repeat: "The new passwords do not match" });
      return;
    }
    const input = { current: String(form.get("current") ?? ""), next };
    const checked = checkInput(ZChangePasswordInput, input);
    if (!checked.ok) return (setErrors(checked.errors), reportInvalidInput());
    setErrors({});
    try {
      await change.mutateAsync(input);
      formElement.reset();
      // Every session ended with the change, this one too.
      window.location.assign("/login?ended=password");
    } catch {
      // Shown by onError.
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Password</CardTitle>
        <CardDescription>
          At least 12 characters. Your current password is asked for, so an open session alone cannot change it; the change ends every
          session of your account (sign in again with the new one).
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={handleSubmit} noValidate className="grid gap-4 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-start">
          <Field label="Current password" error={errors.current}>
            <Input required name="current" type="password" autoComplete="current-password" />
          </Field>
          <Field label="New password" error={errors.next}>
            <Input required name="next" type="password" autoComplete="new-password" />
          </Field>
          <Field label="Repeat new password" error={errors.repeat}>
            <Input required name="repeat" type="password" autoComplete="new-password" />
          </Field>
          <Button type="submit" loading={change.isPending} className="sm:mt-6">
            Change password
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
