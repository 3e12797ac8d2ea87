"use client";

import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { reportFormError, reportInvalidInput } from "@/components/settings/form-errors";
import { checkInput } from "@/components/ui/check-input";
import { ZCreateStackInput, ZUpdateStackInput } from "@/server/domain/inventory";
import { api, type RouterOutputs } from "@/trpc/react";

export type StackView = RouterOutputs["stack"]["list"][number];

const KNOWN_FIELDS = ["name", "publicDomain", "imageRepository", "registryUrl", "registryUsername", "registryPassword", "healthPath"];

type StackFormProps = {
  /** Absent: create a stack. */
  stack?: StackView;
  /** Viewers and deployers see the settings but cannot change them. */
  isReadOnly?: boolean;
  onSaved: (stack: StackView) => void;
  onCancel?: () => void;
};

export function StackForm({ stack, isReadOnly = false, onSaved, onCancel }: StackFormProps) {
  const utils = api.useUtils();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const handlers = {
    onSuccess: (saved: StackView) => {
      toast.success("Stack saved");
      void utils.stack.list.invalidate();
      void utils.stack.get.invalidate();
      onSaved(saved);
    },
    onError: (err: unknown) => {
      const { fieldErrors, formError } = reportFormError(err, KNOWN_FIELDS);
      setErrors(fieldErrors);
      setFormError(formError);
    },
  };
  const create = api.stack.create.useMutation(handlers);
  const update = api.stack.update.useMutation(handlers);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "");
    const input = {
      name: text("name"),
      publicDomain: text("publicDomain"),
      imageRepository: text("imageRepository"),
      registryUrl: text("registryUrl"),
      registryUsername: text("registryUsername"),
      registryPassword: text("registryPassword"),
      healthPath: text("healthPath"),
    };
    setFormError(null);
    const clearRegistryPassword = form.get("clearRegistryPassword") === "on";
    const checked = stack
      ? checkInput(ZUpdateStackInput, { ...input, id: stack.id, clearRegistryPassword })
      : checkInput(ZCreateStackInput, input);
    if (!checked.ok) return (setErrors(checked.errors), reportInvalidInput());
    setErrors({});
    if (stack) update.mutate({ ...input, id: stack.id, clearRegistryPassword });
    else create.mutate(input);
  }

  return (
    <form onSubmit={handleSubmit} noValidate className="grid gap-4">
      {formError ? (
        <Alert tone="danger" subtle>
          {formError}
        </Alert>
      ) : null}
      <fieldset disabled={isReadOnly} className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" error={errors.name} hint="Lowercase letters, digits and hyphens.">
          <Input required name="name" mono defaultValue={stack?.name} autoComplete="off" autoFocus={!stack} />
        </Field>
        <Field label="Public domain" error={errors.publicDomain} hint="The URL users open, e.g. https://pixelfox.example.com.">
          <Input required name="publicDomain" mono defaultValue={stack?.publicDomain} autoComplete="off" />
        </Field>
        <Field label="Image repository" error={errors.imageRepository} hint="Without tag, e.g. ghcr.io/owner/pixelfox.">
          <Input required name="imageRepository" mono defaultValue={stack?.imageRepository} autoComplete="off" />
        </Field>
        <Field label="Health path" error={errors.healthPath} hint="Checked after each deployment.">
          <Input name="healthPath" mono defaultValue={stack?.healthPath ?? "/api/v1/ping"} />
        </Field>
        <Field label="Registry URL" error={errors.registryUrl} hint="Optional, for a private registry.">
          <Input name="registryUrl" mono defaultValue={stack?.registryUrl ?? ""} autoComplete="off" />
        </Field>
        <Field label="Registry username" error={errors.registryUsername} hint="Optional.">
          <Input name="registryUsername" mono defaultValue={stack?.registryUsername ?? ""} autoComplete="off" />
        </Field>
        <Field
          label="Registry password"
          error={errors.registryPassword}
          hint={
            stack?.hasRegistryPassword
              ? "Stored encrypted and never shown. Leave empty to keep it."
              : "Stored encrypted and never shown again."
          }
        >
          <Input
            name="registryPassword"
            type="password"
            autoComplete="new-password"
            placeholder={stack?.hasRegistryPassword ? "•••• (set)" : undefined}
          />
        </Field>
        {stack?.hasRegistryPassword && !isReadOnly ? (
          <Checkbox
            name="clearRegistryPassword"
            label="Clear the stored registry password"
            description="Pulls then go without credentials."
            className="self-center"
          />
        ) : null}
      </fieldset>
      {isReadOnly ? null : (
        <div className="flex justify-end gap-2">
          {onCancel ? (
            <Button type="button" variant="secondary" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" loading={create.isPending || update.isPending}>
            {stack ? "Save stack" : "Create stack"}
          </Button>
        </div>
      )}
    </form>
  );
}
