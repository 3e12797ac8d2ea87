import { HostEditor } from "@/components/hosts/host-editor";

export const metadata = { title: "Add host" };

export default function NewHostPage() {
  return <HostEditor />;
}
