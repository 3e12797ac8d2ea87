"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useCan } from "@/components/auth/role-context";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { IconLayers } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api } from "@/trpc/react";
import { StackForm, type StackView } from "./stack-form";
import { useStackServices } from "./use-stack-services";

export function StackList() {
  const router = useRouter();
  const isAdmin = useCan("ADMIN");
  const [isAdding, setIsAdding] = useState(false);
  const stacks = api.stack.list.useQuery();
  const addButton = isAdmin ? (
    <Button type="button" onClick={() => setIsAdding(true)}>
      Add stack
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Stacks"
        description="A stack is one PixelFox installation: its domain, image and the hosts its services run on."
        actions={addButton}
      />
      {stacks.isPending ? (
        <LoadingBlock label="Loading stacks" />
      ) : stacks.isError ? (
        <LoadError error={stacks.error} onRetry={() => void stacks.refetch()} title="Could not load stacks" />
      ) : stacks.data.length === 0 ? (
        <EmptyState
          icon={<IconLayers className="size-5" />}
          title="No stacks yet"
          description={isAdmin ? "Add a stack, then place its services on your hosts." : "An admin has not added any stack yet."}
          action={addButton}
        />
      ) : (
        <StackTable stacks={stacks.data} />
      )}
      <Dialog open={isAdding} onOpenChange={setIsAdding} title="Add stack" className="sm:max-w-2xl">
        <StackForm onSaved={(stack) => router.push(`/stacks/${stack.name}`)} onCancel={() => setIsAdding(false)} />
      </Dialog>
    </>
  );
}

function StackTable({ stacks }: { stacks: StackView[] }) {
  const services = useStackServices(stacks.map((s) => s.id));
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Public domain</TableHead>
          <TableHead>Image repository</TableHead>
          <TableHead className="text-right">Services</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {stacks.map((stack) => (
          <TableRow key={stack.id}>
            <TableCell>
              <Link href={`/stacks/${stack.name}`} className="font-medium text-accent-text hover:underline">
                {stack.name}
              </Link>
            </TableCell>
            <TableCell className="font-mono text-[13px]">{stack.publicDomain}</TableCell>
            <TableCell className="font-mono text-[13px]">{stack.imageRepository}</TableCell>
            <TableCell className="text-right tabular-nums">{services.get(stack.id)?.length ?? "…"}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
