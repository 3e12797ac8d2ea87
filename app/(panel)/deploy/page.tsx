import Link from "next/link";
import { redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listStacks } from "@/server/services/inventory/stacks";

export const dynamic = "force-dynamic";
export const metadata = { title: "Deploy" };

export default async function DeployIndexPage() {
  const stacks = await listStacks();
  if (stacks.length === 1 && stacks[0]) redirect(`/deploy/${stacks[0].name}`);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Deploy" description="Pick a stack to deploy or roll back." />
      {stacks.length === 0 ? (
        <EmptyState title="No stack yet" description="Create a stack and place its services on hosts first." />
      ) : (
        <ul className="flex flex-col gap-2">
          {stacks.map((s) => (
            <li key={s.id}>
              <Link className="text-accent-text underline" href={`/deploy/${s.name}`}>
                {s.name}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
