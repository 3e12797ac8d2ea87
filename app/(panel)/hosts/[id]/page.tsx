import { HostDetail } from "@/components/hosts/host-detail";

export const metadata = { title: "Host" };

export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <HostDetail hostId={id} />;
}
