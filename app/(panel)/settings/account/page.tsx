import { AccountPage } from "@/components/settings/account-page";

export const metadata = { title: "Your account" };

export default function SettingsAccountPage() {
  return <AccountPage />;
}
