import { cn } from "./cn";
import { type Tone, toneFill } from "./tone";

export type StatusDotProps = {
  tone: Tone;
  /** What the colour means ("Running", "Unreachable"); always given to screen readers, shown when `showLabel`. */
  label: string;
  showLabel?: boolean;
  /** Animated halo for in-progress states (deploying, connecting). */
  pulse?: boolean;
  className?: string;
};

export function StatusDot({ tone, label, showLabel = false, pulse = false, className }: StatusDotProps) {
  return (
    <span className={cn("inline-flex items-center gap-1.5", className)} title={showLabel ? undefined : label}>
      <span className="relative inline-flex size-2 shrink-0" aria-hidden="true">
        {pulse ? <span className={cn("absolute inset-0 animate-ping rounded-full opacity-60", toneFill[tone])} /> : null}
        <span className={cn("relative inline-flex size-2 rounded-full", toneFill[tone])} />
      </span>
      <span className={showLabel ? "text-sm text-fg" : "sr-only"}>{label}</span>
    </span>
  );
}
