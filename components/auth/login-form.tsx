"use client";

import { useActionState, useState } from "react";
import { loginAction, type FormState } from "@/app/(auth)/actions";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";

export function LoginForm() {
  const [state, action] = useActionState<FormState, FormData>(loginAction, {});
  // Controlled, so the email and password survive the form reset after an answer that asks for a code.
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      {state.error ? (
        <Alert tone="danger" subtle>
          {state.error}
        </Alert>
      ) : null}
      <Field label="Email" id="email" required>
        <Input
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoFocus={!state.needsCode}
        />
      </Field>
      <Field label="Password" id="password" required>
        <Input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      {state.needsCode ? (
        <Field
          label="Authentication code"
          id="code"
          required
          hint="The 6-digit code from your authenticator app, or one of your recovery codes."
        >
          <Input name="code" autoComplete="one-time-code" inputMode="text" mono maxLength={32} autoFocus />
        </Field>
      ) : null}
      <SubmitButton>{state.needsCode ? "Verify and sign in" : "Sign in"}</SubmitButton>
    </form>
  );
}
