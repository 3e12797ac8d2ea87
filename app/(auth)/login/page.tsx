import { redirect } from "next/navigation";
import { headers } from "next/headers";
import { LoginForm } from "@/components/auth/login-form";
import { AuthCard } from "@/components/layout/auth-card";
import { resolveActor } from "@/server/trpc/context";
import { countUsers } from "@/server/services/users/users";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function LoginPage() {
  if ((await countUsers()) === 0) redirect("/setup");
  if (await resolveActor(await headers())) redirect("/");
  return (
    <AuthCard title="Sign in to PixelFox Ops" description="Use the account an admin created for you.">
      <LoginForm />
    </AuthCard>
  );
}
