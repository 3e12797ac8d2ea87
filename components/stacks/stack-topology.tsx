import type { ReactNode } from "react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { ServiceKind } from "@/server/domain/roles";
import type { ServiceView } from "./use-stack-services";

/** Request path at a glance: proxy → app → db / cache, each box naming the hosts it runs on. */
export function StackTopology({ services }: { services: ServiceView[] }) {
  if (services.length === 0) return null;
  const hostsOf = (kind: ServiceKind) => services.filter((s) => s.kind === kind).map((s) => s.hostName);
  const backends: ServiceKind[] = ["db", "cache", "storage"];

  return (
    <Card>
      <CardHeader>
        <CardTitle>Topology</CardTitle>
      </CardHeader>
      <CardContent>
        <div className="flex flex-wrap items-center gap-3" aria-label="Stack topology">
          <Box kind="proxy" hosts={hostsOf("proxy")} />
          <Arrow />
          <Box kind="app" hosts={hostsOf("app")} />
          <Arrow />
          <div className="grid gap-2">
            {backends
              .filter((kind) => kind !== "storage" || hostsOf(kind).length > 0)
              .map((kind) => (
                <Box key={kind} kind={kind} hosts={hostsOf(kind)} />
              ))}
          </div>
        </div>
      </CardContent>
    </Card>
  );
}

function Box({ kind, hosts }: { kind: ServiceKind; hosts: string[] }): ReactNode {
  const isMissing = hosts.length === 0;
  return (
    <div
      className={
        isMissing
          ? "min-w-28 rounded-md border border-dashed border-border-strong px-3 py-2 text-muted"
          : "min-w-28 rounded-md border border-border-strong bg-subtle px-3 py-2"
      }
    >
      <div className="text-xs font-semibold uppercase tracking-wide">{kind}</div>
      <div className="font-mono text-xs">{isMissing ? "not placed" : hosts.join(", ")}</div>
    </div>
  );
}

function Arrow() {
  return (
    <span aria-hidden="true" className="text-lg text-muted">
      →
    </span>
  );
}
