import { GoLivePanel } from "@/components/golive/golive-panel";

export const metadata = { title: "Go live" };

export default async function GoLivePage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <GoLivePanel stack={decodeURIComponent(name)} />;
}
