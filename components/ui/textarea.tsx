"use client";

import type { ComponentProps } from "react";
import { cn } from "./cn";
import { controlClasses } from "./control-classes";
import { useFieldControl } from "./field-context";

export type TextareaProps = ComponentProps<"textarea"> & {
  /** Monospace, no spellcheck or autocorrect: for SSH keys, env files, compose snippets. */
  mono?: boolean;
};

export function Textarea({ mono = false, className, rows = 4, ...props }: TextareaProps) {
  const fieldProps = useFieldControl(props);
  const monoProps = mono ? { spellCheck: false, autoCapitalize: "off", autoCorrect: "off", autoComplete: "off" } : {};
  return (
    <textarea
      rows={rows}
      {...monoProps}
      {...fieldProps}
      className={cn(controlClasses, "min-h-16 py-1.5", mono && "font-mono text-xs leading-relaxed break-all", className)}
    />
  );
}
