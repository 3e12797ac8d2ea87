import { DeployPanel } from "@/components/deploy/deploy-panel";

export const metadata = { title: "Deploy" };

export default async function DeployStackPage({ params }: { params: Promise<{ stack: string }> }) {
  const { stack } = await params;
  return <DeployPanel stack={stack} />;
}
