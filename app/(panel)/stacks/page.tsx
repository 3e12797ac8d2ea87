import { StackList } from "@/components/stacks/stack-list";

export const metadata = { title: "Stacks" };

export default function StacksPage() {
  return <StackList />;
}
