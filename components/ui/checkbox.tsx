"use client";

import { type ComponentProps, type ReactNode, useId } from "react";
import { cn } from "./cn";

export type CheckboxProps = Omit<ComponentProps<"input">, "type"> & {
  label: ReactNode;
  description?: ReactNode;
};

/** Checkbox with its own clickable label (use it outside Field; Field is for text-like controls). */
export function Checkbox({ label, description, id, className, ...props }: CheckboxProps) {
  const generatedId = useId();
  const inputId = id ?? `checkbox-${generatedId}`;
  const descriptionId = description ? `${inputId}-description` : undefined;

  return (
    <div className={cn("flex items-start gap-2", className)}>
      <input
        {...props}
        id={inputId}
        type="checkbox"
        aria-describedby={cn(descriptionId, props["aria-describedby"]) || undefined}
        className="mt-0.5 size-4 shrink-0 cursor-pointer rounded border-border-strong accent-accent disabled:cursor-not-allowed"
      />
      <div className="grid gap-0.5">
        <label htmlFor={inputId} className="cursor-pointer text-sm font-medium text-fg">
          {label}
        </label>
        {description ? (
          <p id={descriptionId} className="text-xs text-muted">
            {description}
          </p>
        ) : null}
      </div>
    </div>
  );
}
