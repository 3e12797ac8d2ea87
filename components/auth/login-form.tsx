"use client";

import { useActionState } from "react";
import { loginAction, type FormState } from "@/app/(auth)/actions";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";

export function LoginForm() {
  const [state, action] = useActionState<FormState, FormData>(loginAction, {});
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      {state.error ? <Alert tone="danger" subtle>{state.error}</Alert> : null}
      <Field label="Email" id="email" required>
        <Input name="email" type="email" autoComplete="username" defaultValue={state.values?.email} autoFocus />
      </Field>
      <Field label="Password" id="password" required>
        <Input name="password" type="password" autoComplete="current-password" />
      </Field>
      <SubmitButton>Sign in</SubmitButton>
    </form>
  );
}
