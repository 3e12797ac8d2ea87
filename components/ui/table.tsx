import type { ComponentProps } from "react";
import { cn } from "./cn";

/** Bordered, horizontally scrollable table; dense rows for ops lists. */
export function Table({ className, ...props }: ComponentProps<"table">) {
  return (
    <div className="w-full overflow-x-auto rounded-lg border border-border bg-surface">
      <table {...props} className={cn("w-full border-collapse text-left text-sm", className)} />
    </div>
  );
}

export function TableCaption({ className, ...props }: ComponentProps<"caption">) {
  return <caption {...props} className={cn("px-3 py-2 text-left text-xs text-muted", className)} />;
}

export function TableHeader({ className, ...props }: ComponentProps<"thead">) {
  return <thead {...props} className={cn("border-b border-border bg-subtle/60", className)} />;
}

export function TableBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody {...props} className={cn("divide-y divide-border [&>tr]:transition-colors [&>tr:hover]:bg-subtle/50", className)} />;
}

/** Row hover comes from TableBody, so header rows stay still. */
export function TableRow(props: ComponentProps<"tr">) {
  return <tr {...props} />;
}

export function TableHead({ className, scope = "col", ...props }: ComponentProps<"th">) {
  return <th {...props} scope={scope} className={cn("h-8 px-3 text-xs font-medium whitespace-nowrap text-muted", className)} />;
}

export function TableCell({ className, ...props }: ComponentProps<"td">) {
  return <td {...props} className={cn("px-3 py-2 align-middle text-fg", className)} />;
}
