"use client";

import { createContext, useContext } from "react";

/** What a Field hands to the control inside it so label, hint and error are wired without prop drilling. */
export type FieldContextValue = {
  id: string;
  describedBy: string | undefined;
  isInvalid: boolean;
  isRequired: boolean;
};

export const FieldContext = createContext<FieldContextValue | null>(null);

type ControlA11yProps = {
  id?: string;
  required?: boolean;
  "aria-invalid"?: boolean | "true" | "false" | "grammar" | "spelling";
  "aria-describedby"?: string;
};

/** Merges a control's own a11y props with its Field's; explicit props on the control win. */
export function useFieldControl<P extends ControlA11yProps>(props: P): P {
  const field = useContext(FieldContext);
  if (!field) return props;
  const describedBy = [field.describedBy, props["aria-describedby"]].filter(Boolean).join(" ");
  return {
    ...props,
    id: props.id ?? field.id,
    required: props.required ?? (field.isRequired || undefined),
    "aria-invalid": props["aria-invalid"] ?? (field.isInvalid || undefined),
    "aria-describedby": describedBy || undefined,
  };
}
