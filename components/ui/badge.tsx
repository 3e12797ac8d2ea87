import type { ComponentProps } from "react";
import { cn } from "./cn";
import { type Tone, toneSoft } from "./tone";

export type BadgeProps = ComponentProps<"span"> & { tone?: Tone };

export function Badge({ tone = "neutral", className, ...props }: BadgeProps) {
  return (
    <span
      {...props}
      className={cn(
        "inline-flex items-center gap-1 rounded-md border px-1.5 py-0.5 text-xs font-medium leading-none whitespace-nowrap",
        toneSoft[tone],
        className,
      )}
    />
  );
}
