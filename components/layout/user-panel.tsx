import { Badge } from "@/components/ui/badge";
import { IconLogOut } from "@/components/ui/icons";
import { SubmitButton } from "@/components/ui/submit-button";
import { ThemeToggle } from "./theme-toggle";

export type ShellUser = { email: string; role: "ADMIN" | "DEPLOYER" | "VIEWER" };

export type UserPanelProps = {
  user: ShellUser;
  /** Server action that ends the session; submitted by a plain form so it works before hydration. */
  signOutAction: () => Promise<void>;
};

/** Signed-in user, theme switch and sign-out, at the bottom of the sidebar (or mobile menu). */
export function UserPanel({ user, signOutAction }: UserPanelProps) {
  return (
    <div className="grid gap-3 border-t border-border p-3">
      <div className="grid min-w-0 gap-1">
        <p className="truncate text-sm font-medium text-fg" title={user.email}>
          {user.email}
        </p>
        <div>
          <Badge className="text-[10px] tracking-wide">{user.role}</Badge>
        </div>
      </div>
      <div className="flex items-center justify-between gap-2">
        <ThemeToggle />
        <form action={signOutAction}>
          <SubmitButton variant="ghost" size="sm" className="text-muted">
            <IconLogOut className="size-3.5" />
            Sign out
          </SubmitButton>
        </form>
      </div>
    </div>
  );
}
