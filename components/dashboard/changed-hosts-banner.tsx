"use client";

import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { HostView } from "@/components/hosts/host-status";

/** Top-of-dashboard alarm: a changed host key blocks that host and may mean an attack. */
export function ChangedHostsBanner({ hosts }: { hosts: HostView[] }) {
  const router = useRouter();
  const changed = hosts.filter((h) => h.hostKeyState === "CHANGED");
  if (changed.length === 0) return null;
  return (
    <div className="mb-6 grid gap-3">
      {changed.map((host) => (
        <Alert
          key={host.id}
          tone="danger"
          title="HOST KEY CHANGED"
          actions={
            <Button type="button" variant="secondary" size="sm" onClick={() => router.push(`/hosts/${host.id}`)}>
              Review {host.name}
            </Button>
          }
        >
          {host.name} ({host.address}) presented a different SSH host key than the one pinned. The panel sends nothing to it until an admin
          verifies the new key on the host and re-pins it.
        </Alert>
      ))}
    </div>
  );
}
