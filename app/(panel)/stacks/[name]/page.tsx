import { StackDetail } from "@/components/stacks/stack-detail";

export const metadata = { title: "Stack" };

export default async function StackPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <StackDetail name={decodeURIComponent(name)} />;
}
