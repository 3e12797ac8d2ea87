"use client";

import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

type Errors = Record<string, string>;
type Submit = (values: { password: string; code: string }, form: HTMLFormElement) => void;

function handle(event: FormEvent<HTMLFormElement>, onSubmit: Submit) {
  event.preventDefault();
  const form = new FormData(event.currentTarget);
  onSubmit({ password: String(form.get("password") ?? ""), code: String(form.get("code") ?? "") }, event.currentTarget);
}

/** Labelled "Your password" (not "Current password"): the password card on the same page has that one. */
function PasswordField({ error }: { error?: string }) {
  return (
    <Field label="Your password" error={error} hint="Asked again: an open session alone cannot change two-factor sign-in.">
      <Input name="password" type="password" autoComplete="current-password" maxLength={256} />
    </Field>
  );
}

export function StartTotpForm({ errors, isPending, onSubmit }: { errors: Errors; isPending: boolean; onSubmit: Submit }) {
  return (
    <form noValidate className="grid gap-3 sm:grid-cols-[16rem_auto] sm:items-start" onSubmit={(e) => handle(e, onSubmit)}>
      <PasswordField error={errors.password} />
      <Button type="submit" loading={isPending} className="justify-self-start sm:mt-6">
        Set up two-factor sign-in
      </Button>
    </form>
  );
}

export function ConfirmTotpForm({ errors, isPending, onSubmit }: { errors: Errors; isPending: boolean; onSubmit: Submit }) {
  return (
    <form noValidate className="grid gap-3 sm:grid-cols-[12rem_auto] sm:items-start" onSubmit={(e) => handle(e, onSubmit)}>
      <Field label="Code from the app" error={errors.code ?? errors.password}>
        <Input name="code" autoComplete="one-time-code" inputMode="numeric" mono maxLength={6} autoFocus />
      </Field>
      <Button type="submit" loading={isPending} className="justify-self-start sm:mt-6">
        Turn on
      </Button>
    </form>
  );
}

export function DisableTotpForm({ errors, isPending, onSubmit }: { errors: Errors; isPending: boolean; onSubmit: Submit }) {
  return (
    <form noValidate className="grid gap-3 sm:grid-cols-[16rem_16rem_auto] sm:items-start" onSubmit={(e) => handle(e, onSubmit)}>
      <PasswordField error={errors.password} />
      <Field label="Current code" error={errors.code} hint="To turn it off: a code from the app, or a recovery code.">
        <Input name="code" autoComplete="one-time-code" mono maxLength={32} />
      </Field>
      <Button type="submit" variant="danger" loading={isPending} className="justify-self-start sm:mt-6">
        Turn off
      </Button>
    </form>
  );
}
