import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth/setup-form";
import { AuthCard } from "@/components/layout/auth-card";
import { countUsers } from "@/server/services/users/users";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set up" };

/** First run only: with no user in the store, create the first admin. */
export default async function SetupPage() {
  if ((await countUsers()) > 0) redirect("/login");
  return (
    <AuthCard title="Welcome to PixelFox Ops" description="Create the first admin account. There are no default credentials.">
      <SetupForm />
    </AuthCard>
  );
}
