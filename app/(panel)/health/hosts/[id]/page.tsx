import { HostHealth } from "@/components/health/host-health";

export const metadata = { title: "Host health" };

export default async function HostHealthPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <HostHealth hostId={id} />;
}
