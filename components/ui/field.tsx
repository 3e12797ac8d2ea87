"use client";

import { type ReactNode, useId } from "react";
import { cn } from "./cn";
import { FieldContext } from "./field-context";

export type FieldProps = {
  label: ReactNode;
  /** The control: Input, Textarea or Select pick up id/aria-* from the Field automatically. */
  children: ReactNode;
  hint?: ReactNode;
  /** Shown verbatim under the control with role="alert"; also marks the control aria-invalid. */
  error?: string | null;
  required?: boolean;
  /** Use when the control needs a known id (e.g. for tests); defaults to a generated one. */
  id?: string;
  className?: string;
};

export function Field({ label, children, hint, error, required = false, id, className }: FieldProps) {
  const generatedId = useId();
  const controlId = id ?? `field-${generatedId}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;

  return (
    <FieldContext value={{ id: controlId, describedBy, isInvalid: Boolean(error), isRequired: required }}>
      <div className={cn("flex flex-col gap-1.5", className)}>
        {/* The asterisk sits outside <label> so the control's accessible name stays exactly `label`. */}
        <div className="flex items-baseline">
          <label htmlFor={controlId} className="text-sm font-medium text-fg">
            {label}
          </label>
          {required ? (
            <span className="ml-0.5 text-sm text-danger" aria-hidden="true">
              *
            </span>
          ) : null}
        </div>
        {children}
        {hint ? (
          <p id={hintId} className="text-xs text-muted">
            {hint}
          </p>
        ) : null}
        {error ? (
          <p id={errorId} role="alert" className="text-xs font-medium text-danger">
            {error}
          </p>
        ) : null}
      </div>
    </FieldContext>
  );
}
