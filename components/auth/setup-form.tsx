"use client";

import { useActionState } from "react";
import { setupAction, type FormState } from "@/app/(auth)/actions";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";

export function SetupForm() {
  const [state, action] = useActionState<FormState, FormData>(setupAction, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      {state.error ? (
        <Alert tone="danger" subtle>
          {state.error}
        </Alert>
      ) : null}
      <Field label="Admin email" id="email" required error={errors.email}>
        <Input name="email" type="email" autoComplete="username" defaultValue={state.values?.email} autoFocus />
      </Field>
      <Field label="Password" id="password" required hint="At least 12 characters." error={errors.password}>
        <Input name="password" type="password" autoComplete="new-password" />
      </Field>
      <Field label="Repeat password" id="confirm" required error={errors.confirm}>
        <Input name="confirm" type="password" autoComplete="new-password" />
      </Field>
      <SubmitButton>Create admin and sign in</SubmitButton>
    </form>
  );
}
