import Link from "next/link";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { StatusDot } from "@/components/ui/status-dot";
import type { Tone } from "@/components/ui/tone";
import type { HostView } from "@/components/hosts/host-status";

/** Counts by host key state, plus failing checks: the things that need a human. */
export function HostsSummaryCard({ hosts }: { hosts: HostView[] }) {
  const count = (predicate: (h: HostView) => boolean) => hosts.filter(predicate).length;
  const rows: Array<{ tone: Tone; label: string; value: number }> = [
    { tone: "success", label: "pinned", value: count((h) => h.hostKeyState === "PINNED") },
    { tone: "warning", label: "not verified", value: count((h) => h.hostKeyState === "UNPINNED") },
    { tone: "danger", label: "host key changed", value: count((h) => h.hostKeyState === "CHANGED") },
    { tone: "danger", label: "last check failed", value: count((h) => h.lastCheckOk === false) },
    { tone: "neutral", label: "not checked", value: count((h) => h.lastCheckOk === null) },
  ];
  return (
    <Card>
      <CardHeader
        actions={
          <Link href="/hosts" className="text-xs text-accent-text hover:underline">
            All hosts
          </Link>
        }
      >
        <CardTitle>Hosts ({hosts.length})</CardTitle>
      </CardHeader>
      <CardContent>
        <ul className="grid gap-1.5 text-sm">
          {rows.map((row) => (
            <li key={row.label} className="flex items-center justify-between gap-4">
              <StatusDot tone={row.value > 0 ? row.tone : "neutral"} label={row.label} showLabel />
              <span className="font-medium tabular-nums">{row.value}</span>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}
