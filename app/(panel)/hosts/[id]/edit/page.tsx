import { HostEditor } from "@/components/hosts/host-editor";

export const metadata = { title: "Edit host" };

export default async function EditHostPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <HostEditor hostId={id} />;
}
