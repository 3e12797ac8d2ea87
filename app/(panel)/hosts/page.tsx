import { HostList } from "@/components/hosts/host-list";

export const metadata = { title: "Hosts" };

export default function HostsPage() {
  return <HostList />;
}
