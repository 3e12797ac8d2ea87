import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { Brand } from "./brand";
import { ThemeToggle } from "./theme-toggle";

export type AuthCardProps = {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** Small print under the card (e.g. "First run? The setup page creates the admin account."). */
  footer?: ReactNode;
};

/** Centered single-card frame for /login and /setup, where the app shell is not shown. */
export function AuthCard({ title, description, children, footer }: AuthCardProps) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex justify-center">
          <Brand />
        </div>
        <Card className="shadow-sm">
          <div className="grid gap-6 p-6">
            <div className="grid gap-1">
              <h1 className="text-lg font-semibold tracking-tight text-fg">{title}</h1>
              {description ? <p className="text-sm text-muted">{description}</p> : null}
            </div>
            {children}
          </div>
        </Card>
        {footer ? <div className="mt-4 text-center text-xs text-muted">{footer}</div> : null}
        <div className="mt-6 flex justify-center">
          <ThemeToggle />
        </div>
      </div>
    </main>
  );
}
