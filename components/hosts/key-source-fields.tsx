"use client";

import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/components/ui/cn";

export type KeySource = "paste" | "path";

type KeySourceFieldsProps = {
  source: KeySource;
  onSourceChange: (source: KeySource) => void;
  /** On edit the stored key stays unless a new one is given. */
  isOptional: boolean;
  errors: Record<string, string>;
};

const OPTIONS: Array<{ value: KeySource; label: string }> = [
  { value: "paste", label: "Paste key" },
  { value: "path", label: "Path on the panel machine" },
];

/** The SSH login key: pasted text, or a file the panel reads once and stores encrypted. */
export function KeySourceFields({ source, onSourceChange, isOptional, errors }: KeySourceFieldsProps) {
  const keepHint = isOptional ? "Leave empty to keep the current key." : null;
  // "Give a key or a path" is reported on privateKey; show it under whichever control is visible.
  const pasteError = errors.privateKey ?? (source === "paste" ? errors.privateKeyPath : undefined);
  const pathError = errors.privateKeyPath ?? (source === "path" ? errors.privateKey : undefined);

  return (
    <div className="grid gap-3">
      <fieldset className="grid gap-1.5">
        <legend className="mb-1.5 text-sm font-medium text-fg">SSH key source</legend>
        <div className="inline-flex w-fit rounded-md border border-border-strong bg-subtle p-0.5">
          {OPTIONS.map((option) => (
            <label
              key={option.value}
              className={cn(
                "cursor-pointer rounded px-3 py-1 text-sm has-[:focus-visible]:ring-3 has-[:focus-visible]:ring-accent/25",
                source === option.value ? "bg-surface font-medium text-fg shadow-xs" : "text-muted hover:text-fg",
              )}
            >
              <input
                type="radio"
                name="keySource"
                value={option.value}
                checked={source === option.value}
                onChange={() => onSourceChange(option.value)}
                className="sr-only"
              />
              {option.label}
            </label>
          ))}
        </div>
      </fieldset>
      {source === "paste" ? (
        <Field label="Private key" error={pasteError} hint={keepHint ?? "OpenSSH or PEM format. Stored encrypted; never shown again."}>
          <Textarea
            required={!isOptional}
            name="privateKey"
            mono
            rows={6}
            placeholder={"-----BEGIN OPENSSH PRIVATE KEY-----\n…\n-----END OPENSSH PRIVATE KEY-----"}
          />
        </Field>
      ) : (
        <Field
          label="Private key path"
          error={pathError}
          hint={keepHint ?? "Absolute path on the machine running the panel; read once and stored encrypted."}
        >
          <Input required={!isOptional} name="privateKeyPath" mono placeholder="/home/ops/.ssh/id_ed25519" autoComplete="off" />
        </Field>
      )}
    </div>
  );
}
