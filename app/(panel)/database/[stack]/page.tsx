import { DatabasePanel } from "@/components/database/database-panel";

export const metadata = { title: "Database" };

export default async function DatabaseStackPage({ params }: { params: Promise<{ stack: string }> }) {
  const { stack } = await params;
  return <DatabasePanel stack={stack} />;
}
