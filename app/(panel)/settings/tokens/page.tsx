import { TokensPage } from "@/components/settings/tokens-page";

export const metadata = { title: "API tokens" };

export default function SettingsTokensPage() {
  return <TokensPage />;
}
