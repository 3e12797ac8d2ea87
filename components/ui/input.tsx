"use client";

import type { ComponentProps } from "react";
import { cn } from "./cn";
import { controlClasses } from "./control-classes";
import { useFieldControl } from "./field-context";

export type InputProps = ComponentProps<"input"> & {
  /** Monospace text for hostnames, ports, image tags and other machine values. */
  mono?: boolean;
};

export function Input({ mono = false, className, ...props }: InputProps) {
  const fieldProps = useFieldControl(props);
  return <input {...fieldProps} className={cn(controlClasses, "h-8", mono && "font-mono text-[13px]", className)} />;
}
