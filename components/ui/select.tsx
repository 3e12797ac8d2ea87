"use client";

import type { ComponentProps } from "react";
import { cn } from "./cn";
import { controlClasses } from "./control-classes";
import { useFieldControl } from "./field-context";
import { IconChevronDown } from "./icons";

export type SelectProps = ComponentProps<"select">;

/** Native select (keyboard and mobile pickers for free) with the kit's look; pass `<option>`s as children. */
export function Select({ className, children, ...props }: SelectProps) {
  const fieldProps = useFieldControl(props);
  return (
    <div className={cn("relative", className)}>
      <select {...fieldProps} className={cn(controlClasses, "h-8 appearance-none pr-8")}>
        {children}
      </select>
      <IconChevronDown className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-muted" />
    </div>
  );
}
