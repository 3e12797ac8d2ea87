import { useId } from "react";
import { cn } from "./cn";
import { type Tone, toneFill } from "./tone";

export type ProgressBarProps = {
  /** Visible label above the bar, also its accessible name. */
  label: string;
  value?: number;
  max?: number;
  /** For work with unknown length (pulling images, waiting for a health check). */
  indeterminate?: boolean;
  /** Show "42%" next to the label. */
  showValue?: boolean;
  /** Defaults to the accent colour. */
  tone?: Tone;
  className?: string;
};

export function ProgressBar({ label, value = 0, max = 100, indeterminate = false, showValue = false, tone, className }: ProgressBarProps) {
  const labelId = useId();
  const safeMax = max > 0 ? max : 100;
  const clamped = Math.min(Math.max(value, 0), safeMax);
  const percent = Math.round((clamped / safeMax) * 100);
  const fill = tone ? toneFill[tone] : "bg-accent";

  return (
    <div className={cn("grid gap-1.5", className)}>
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span id={labelId} className="font-medium text-fg">
          {label}
        </span>
        {showValue && !indeterminate ? <span className="tabular-nums text-muted">{percent}%</span> : null}
      </div>
      <div
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={indeterminate ? undefined : 0}
        aria-valuemax={indeterminate ? undefined : safeMax}
        aria-valuenow={indeterminate ? undefined : clamped}
        aria-busy={indeterminate || undefined}
        className="relative h-1.5 w-full overflow-hidden rounded-full bg-subtle"
      >
        {indeterminate ? (
          <div className={cn("absolute inset-y-0 left-0 w-2/5 rounded-full animate-indeterminate", fill)} />
        ) : (
          <div className={cn("h-full rounded-full transition-[width] duration-300", fill)} style={{ width: `${percent}%` }} />
        )}
      </div>
    </div>
  );
}
