import type { ReactNode } from "react";
import { cn } from "./cn";
import { IconInbox } from "./icons";

export type EmptyStateProps = {
  title: string;
  description?: ReactNode;
  /** Defaults to an inbox icon. */
  icon?: ReactNode;
  /** The next step, usually a primary Button or Link ("Add host"). */
  action?: ReactNode;
  className?: string;
};

export function EmptyState({ title, description, icon, action, className }: EmptyStateProps) {
  return (
    <div
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-lg border border-dashed border-border-strong px-6 py-12 text-center",
        className,
      )}
    >
      <div className="flex size-10 items-center justify-center rounded-full bg-subtle text-muted">
        {icon ?? <IconInbox className="size-5" />}
      </div>
      <div className="grid max-w-sm gap-1">
        <h3 className="text-sm font-semibold text-fg">{title}</h3>
        {description ? <p className="text-sm text-muted">{description}</p> : null}
      </div>
      {action ? <div className="mt-1">{action}</div> : null}
    </div>
  );
}
