import { redirect } from "next/navigation";
import { headers } from "next/headers";
import { LoginForm } from "@/components/auth/login-form";
import { Alert } from "@/components/ui/alert";
import { AuthCard } from "@/components/layout/auth-card";
import { resolveActor } from "@/server/trpc/context";
import { countUsers } from "@/server/services/users/users";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

const ENDED: Record<string, string> = {
  password: "Your password was changed and every session ended: sign in with the new one.",
  sessions: "Every session of your account ended: sign in again.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if ((await countUsers()) === 0) redirect("/setup");
  if (await resolveActor(await headers())) redirect("/");
  const ended = (await searchParams).ended;
  const notice = typeof ended === "string" ? ENDED[ended] : undefined;
  return (
    <AuthCard title="Sign in to PixelFox Ops" description="Use the account an admin created for you.">
      {notice ? (
        <Alert tone="info" subtle className="mb-4" data-testid="login-notice">
          {notice}
        </Alert>
      ) : null}
      <LoginForm />
    </AuthCard>
  );
}
