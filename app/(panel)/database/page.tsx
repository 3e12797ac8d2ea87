import Link from "next/link";
import { redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listStacks } from "@/server/services/inventory/stacks";

export const dynamic = "force-dynamic";
export const metadata = { title: "Database" };

export default async function DatabaseIndexPage() {
  const stacks = await listStacks();
  if (stacks.length === 1 && stacks[0]) redirect(`/database/${stacks[0].name}`);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Database" description="Pick a stack for its migrations and backups." />
      {stacks.length === 0 ? (
        <EmptyState title="No stack yet" description="Create a stack and place its db service on a host first." />
      ) : (
        <ul className="flex flex-col gap-2">
          {stacks.map((s) => (
            <li key={s.id}>
              <Link className="text-accent-text underline" href={`/database/${s.name}`}>
                {s.name}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
