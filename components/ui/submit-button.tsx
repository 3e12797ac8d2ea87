"use client";

import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "./button";

/** Submit button that shows its own pending state while the enclosing `<form action>` runs. */
export function SubmitButton({ loading, ...props }: Omit<ButtonProps, "type">) {
  const { pending } = useFormStatus();
  return <Button {...props} type="submit" loading={loading || pending} />;
}
