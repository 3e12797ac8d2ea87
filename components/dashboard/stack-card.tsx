import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { StatusDot } from "@/components/ui/status-dot";
import { Spinner } from "@/components/ui/spinner";
import { describeHostHealth, type HostView } from "@/components/hosts/host-status";
import type { StackView } from "@/components/stacks/stack-form";
import type { ServiceView } from "@/components/stacks/use-stack-services";

type StackCardProps = { stack: StackView; services: ServiceView[] | undefined; hostsById: Map<string, HostView> };

/** A stack's services and the health of the host each runs on (host state, not container state). */
export function StackCard({ stack, services, hostsById }: StackCardProps) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <Link href={`/stacks/${stack.name}`} className="hover:underline">
            {stack.name}
          </Link>
        </CardTitle>
        <CardDescription className="font-mono">{stack.publicDomain}</CardDescription>
      </CardHeader>
      <CardContent>
        {services === undefined ? (
          <Spinner label="Loading services" />
        ) : services.length === 0 ? (
          <p className="text-sm text-muted">No services placed yet.</p>
        ) : (
          <ul className="grid gap-2 text-sm">
            {services.map((service) => {
              const host = hostsById.get(service.hostId);
              const health = host ? describeHostHealth(host) : { tone: "neutral" as const, label: "not checked" };
              return (
                <li key={service.id} className="flex items-center justify-between gap-3">
                  <span className="flex items-center gap-2">
                    <span className="w-12 text-xs font-semibold uppercase text-muted">{service.kind}</span>
                    <Link href={`/hosts/${service.hostId}`} className="text-accent-text hover:underline">
                      {service.hostName}
                    </Link>
                  </span>
                  <StatusDot tone={health.tone} label={health.label} showLabel />
                </li>
              );
            })}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
