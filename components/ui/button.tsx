import type { ComponentProps } from "react";
import { cn } from "./cn";
import { Spinner } from "./spinner";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "sm" | "md" | "lg" | "icon";

const variantClasses: Record<ButtonVariant, string> = {
  primary: "bg-accent text-accent-fg hover:bg-accent-hover shadow-xs",
  secondary: "border border-border-strong bg-surface text-fg hover:bg-subtle shadow-xs",
  danger: "bg-danger-solid text-white hover:bg-danger-solid-hover shadow-xs",
  ghost: "text-fg hover:bg-subtle",
};

const sizeClasses: Record<ButtonSize, string> = {
  sm: "h-7 gap-1.5 rounded-md px-2.5 text-xs",
  md: "h-8 gap-2 rounded-md px-3 text-sm",
  lg: "h-10 gap-2 rounded-lg px-4 text-sm",
  icon: "size-8 rounded-md",
};

/** Button look for non-button elements, e.g. `<Link className={buttonClasses({ variant: "secondary" })}>`. */
export function buttonClasses({
  variant = "primary",
  size = "md",
  className,
}: { variant?: ButtonVariant; size?: ButtonSize; className?: string } = {}): string {
  return cn(
    "inline-flex shrink-0 select-none items-center justify-center whitespace-nowrap font-medium transition-colors",
    "disabled:pointer-events-none disabled:opacity-50 aria-disabled:pointer-events-none aria-disabled:opacity-50",
    // A loading button is busy, not unavailable: keep it readable.
    "disabled:aria-busy:opacity-80",
    variantClasses[variant],
    sizeClasses[size],
    className,
  );
}

export type ButtonProps = ComponentProps<"button"> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Disables the button and shows a spinner; the label stays so the width does not jump. */
  loading?: boolean;
};

/** Native `type` default applies (submit inside a form): pass `type="button"` for non-submitting buttons. */
export function Button({ variant, size, loading = false, disabled, className, children, ...props }: ButtonProps) {
  return (
    <button
      {...props}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      className={buttonClasses({ variant, size, className })}
    >
      {loading ? <Spinner label={null} className={size === "icon" ? undefined : "-ml-0.5"} /> : null}
      {loading && size === "icon" ? null : children}
    </button>
  );
}
