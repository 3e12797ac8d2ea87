import { redirect } from "next/navigation";

/** /settings has no page of its own; users is the first section. */
export default function SettingsPage() {
  redirect("/settings/users");
}
