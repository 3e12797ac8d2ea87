"use client";

import Link from "next/link";
import { cn } from "@/components/ui/cn";
import type { RouterOutputs } from "@/trpc/react";
import { STATUS_LOOK, type HealthStatusName } from "./status-style";

type Overview = RouterOutputs["health"]["overview"];
type Check = NonNullable<Overview["sweep"]>["checks"][number];

/** Worst of a service's own check and its host's check: a box is only green when both are. */
function statusOf(
  checks: Map<string, Check>,
  subject: string,
  hostName: string | null,
): { status: HealthStatusName; reason: string | null; check?: Check } {
  const own = checks.get(subject);
  if (!own) return { status: "unchecked", reason: "not checked yet" };
  const host = hostName ? checks.get(`host:${hostName}`) : undefined;
  if (host?.status === "down" && own.status !== "down") return { status: "down", reason: host.reason, check: own };
  return { status: own.status, reason: own.reason, check: own };
}

/** proxy → app host(s) → db and cache, each box coloured by its live state; click-through to the service's page. */
export function TopologyDiagram({ overview }: { overview: Overview }) {
  const checks = new Map((overview.sweep?.checks ?? []).map((c) => [c.subject, c]));
  const of = (kind: string) => overview.services.filter((s) => s.kind === kind);
  const box = (s: Overview["services"][number]) => {
    const { status, reason, check } = statusOf(checks, `${s.kind}@${s.hostName}`, s.hostName);
    const tag = s.kind === "app" && typeof check?.details.tag === "string" ? check.details.tag : null;
    return (
      <Box
        key={`${s.kind}-${s.hostId}`}
        kind={s.kind}
        host={s.hostName}
        href={`/health/services/${s.id}`}
        status={status}
        reason={reason}
        tag={tag}
        latency={check?.latencyMs ?? null}
      />
    );
  };
  const external = statusOf(checks, "external", null);
  return (
    <div
      className={cn("flex items-center gap-3 overflow-x-auto pb-1", overview.isStale && "opacity-70")}
      aria-label="Live topology"
      data-stale={overview.isStale ? "true" : "false"}
    >
      <Box
        kind="public"
        host={overview.stack.publicDomain}
        status={external.status}
        reason={external.reason}
        latency={external.check?.latencyMs ?? null}
      />
      <Arrow />
      <Column>{of("proxy").map(box)}</Column>
      <Arrow />
      <Column>{of("app").map(box)}</Column>
      <Arrow />
      <Column>{[...of("db"), ...of("cache"), ...of("storage")].map(box)}</Column>
    </div>
  );
}

function Column({ children }: { children: React.ReactNode }) {
  return <div className="grid shrink-0 gap-2">{children}</div>;
}

function Arrow() {
  return (
    <span aria-hidden="true" className="text-muted">
      →
    </span>
  );
}

type BoxProps = {
  kind: string;
  host: string;
  href?: string;
  status: HealthStatusName;
  reason: string | null;
  tag?: string | null;
  latency: number | null;
};

function Box({ kind, host, href, status, reason, tag, latency }: BoxProps) {
  const look = STATUS_LOOK[status];
  const body = (
    <>
      <div className="flex items-center justify-between gap-2 text-xs font-semibold uppercase tracking-wide">
        <span>{kind}</span>
        <span data-testid="box-status">{look.label}</span>
      </div>
      <div className="font-mono text-xs">{host}</div>
      {tag ? (
        <div className="font-mono text-xs" data-testid="box-tag">
          {tag}
        </div>
      ) : null}
      {latency !== null && status !== "unchecked" ? <div className="text-[11px] text-muted">{latency} ms</div> : null}
    </>
  );
  const className = cn("block min-w-32 max-w-64 shrink-0 rounded-md border-2 px-3 py-2", look.box);
  const common = {
    "data-testid": `health-box-${kind}-${href ? host : "public"}`,
    "data-status": status,
    title: reason ?? look.label,
    className,
  };
  return href ? (
    <Link href={href} {...common}>
      {body}
    </Link>
  ) : (
    <div {...common}>{body}</div>
  );
}
