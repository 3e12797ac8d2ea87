import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

export function Card({ className, ...props }: ComponentProps<"section">) {
  return <section {...props} className={cn("rounded-lg border border-border bg-surface shadow-xs", className)} />;
}

export type CardHeaderProps = ComponentProps<"div"> & {
  /** Right-aligned buttons or links next to the title. */
  actions?: ReactNode;
};

export function CardHeader({ className, actions, children, ...props }: CardHeaderProps) {
  return (
    <div {...props} className={cn("flex items-start justify-between gap-4 border-b border-border px-4 py-3", className)}>
      <div className="grid min-w-0 gap-0.5">{children}</div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </div>
  );
}

export function CardTitle({ className, ...props }: ComponentProps<"h2">) {
  return <h2 {...props} className={cn("text-sm font-semibold text-fg", className)} />;
}

export function CardDescription({ className, ...props }: ComponentProps<"p">) {
  return <p {...props} className={cn("text-xs text-muted", className)} />;
}

export function CardContent({ className, ...props }: ComponentProps<"div">) {
  return <div {...props} className={cn("p-4", className)} />;
}

export function CardFooter({ className, ...props }: ComponentProps<"div">) {
  return (
    <div
      {...props}
      className={cn("flex items-center justify-end gap-2 border-t border-border bg-subtle/50 px-4 py-3 rounded-b-lg", className)}
    />
  );
}
