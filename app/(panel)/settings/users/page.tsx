import { UsersPage } from "@/components/settings/users-page";

export const metadata = { title: "Users" };

export default function SettingsUsersPage() {
  return <UsersPage />;
}
