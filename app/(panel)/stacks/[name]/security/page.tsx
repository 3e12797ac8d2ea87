import { SecurityPanel } from "@/components/security/security-panel";

export const metadata = { title: "Security" };

export default async function SecurityPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <SecurityPanel stack={decodeURIComponent(name)} />;
}
