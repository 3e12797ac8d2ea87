import { ServiceHealth } from "@/components/health/service-health";

export const metadata = { title: "Service health" };

export default async function ServiceHealthPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ServiceHealth serviceId={id} />;
}
