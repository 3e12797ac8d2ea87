"use client";

import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { RouterOutputs } from "@/trpc/react";
import { formatBytes, STATUS_LOOK } from "./status-style";

type Health = RouterOutputs["health"]["service"];
type Check = NonNullable<Health["check"]>;
type Usage = { cpuPct: number; memBytes: number; memLimitBytes: number };

/** One labelled live figure; `id` names it for tests and links. */
function Fact({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5" data-testid={`fact-${id}`}>
      <dt className="text-[11px] font-medium uppercase tracking-wide text-muted">{label}</dt>
      <dd className="text-sm text-fg">{children}</dd>
    </div>
  );
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const text = (v: unknown, fallback = "—") => (v === null || v === undefined || v === "" ? fallback : String(v));
const hours = (s: unknown) => (num(s) === null ? "—" : `${Math.floor(num(s)! / 3600)} h ${Math.floor((num(s)! % 3600) / 60)} min`);

function Ping({ check }: { check: Check | null }) {
  if (!check) return <span className="text-muted">not checked yet</span>;
  const look = STATUS_LOOK[check.status];
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Badge tone={look.tone}>{look.label}</Badge>
      {check.latencyMs !== null ? <span className="tabular-nums">{check.latencyMs} ms</span> : null}
      {check.reason ? <span className="text-danger">{check.reason}</span> : null}
    </span>
  );
}

function ContainerFacts({ check }: { check: Check }) {
  const usage = check.details.containerUsage as Usage | undefined;
  return (
    <>
      <Fact id="restarts" label="Container restarts">
        {text(check.details.restarts, "0")}
      </Fact>
      <Fact id="container-usage" label="Container CPU / memory">
        {usage
          ? `${usage.cpuPct} % · ${formatBytes(usage.memBytes)}${usage.memLimitBytes > 0 ? ` of ${formatBytes(usage.memLimitBytes)}` : ""}`
          : "—"}
      </Fact>
    </>
  );
}

function AppFacts({ check, external }: { check: Check; external: Check | null }) {
  const d = check.details;
  return (
    <>
      <Fact id="internal-ping" label={`Internal ping (127.0.0.1:${text(d.port)})`}>
        <Ping check={check} />
      </Fact>
      <Fact id="external-ping" label="External ping (through the proxy)">
        <Ping check={external} />
      </Fact>
      <Fact id="tag" label="Running tag">
        <span className="font-mono">{text(d.tag)}</span>
      </Fact>
      <Fact id="container" label="Container">
        {text(d.container)} · Docker health {text(d.dockerHealth, "no healthcheck")}
      </Fact>
      <ContainerFacts check={check} />
    </>
  );
}

function DbFacts({ check }: { check: Check }) {
  const d = check.details;
  const m = check.metrics;
  const max = num(d.maxConnections) ?? 0;
  return (
    <>
      <Fact id="version" label="Version">
        {text(d.version)}
      </Fact>
      <Fact id="uptime" label="Uptime">
        {hours(d.uptimeS)}
      </Fact>
      <Fact id="threads" label="Threads connected / running">
        {text(m.connections)} / {text(m.threadsRunning)}
      </Fact>
      <Fact id="slow-queries" label="Slow queries">
        {text(m.slowQueries, "0")}
      </Fact>
      <Fact id="connections" label="Connections used vs max">
        <ProgressBar
          label={`${text(m.connections)} of ${max} (peak ${text(d.maxUsedConnections)})`}
          value={num(m.connectionsPct) ?? 0}
          showValue
          tone={(num(m.connectionsPct) ?? 0) > 90 ? "danger" : "success"}
        />
      </Fact>
      <Fact id="replication" label="Replication">
        {text(d.replication, "none (not a replica)")}
      </Fact>
      <Fact id="db-size" label={`Database size (${text(d.database)})`}>
        {num(m.dbBytes) !== null ? formatBytes(m.dbBytes!) : "—"}
      </Fact>
      <ContainerFacts check={check} />
    </>
  );
}

function CacheFacts({ check }: { check: Check }) {
  const d = check.details;
  const m = check.metrics;
  const keys = d.keys as { db0: number; db1: number; db2: number } | undefined;
  const maxMemory = num(d.maxMemory) ?? 0;
  return (
    <>
      <Fact id="ping" label="PING">
        <Ping check={check} />
      </Fact>
      <Fact id="version" label="Version">
        {d.version ? `Redis ${text(d.version)}` : "—"}
      </Fact>
      <Fact id="memory" label="Memory used vs max">
        {maxMemory > 0 ? (
          <ProgressBar
            label={`${formatBytes(m.usedMemory ?? 0)} of ${formatBytes(maxMemory)}`}
            value={num(d.memPct) ?? 0}
            showValue
            tone={(num(d.memPct) ?? 0) > 90 ? "danger" : "success"}
          />
        ) : (
          `${formatBytes(m.usedMemory ?? 0)} (no maxmemory set)`
        )}
      </Fact>
      <Fact id="clients" label="Clients">
        {text(m.clients)}
      </Fact>
      <Fact id="keys" label="Keys in DB 0 / 1 / 2 (cache / sessions / OAuth state)">
        {keys ? `${keys.db0} / ${keys.db1} / ${keys.db2}` : "—"}
      </Fact>
      <Fact id="evictions" label="Evicted keys">
        {text(m.evicted, "0")}
      </Fact>
      <Fact id="password" label="Password">
        {d.passwordSet ? "required (used by the check)" : "none set"}
      </Fact>
      <ContainerFacts check={check} />
    </>
  );
}

function ProxyFacts({ check }: { check: Check }) {
  const d = check.details;
  const ups = (d.upstreams as string[] | undefined) ?? [];
  const health = (d.upstreamHealth as { address: string; numRequests: number; fails: number }[] | undefined) ?? [];
  const tls = d.tls as { checked: boolean; note: string | null; issuer: string | null; daysLeft: number | null } | undefined;
  const dns = d.dns as { note: string | null; records: string[]; expected: string; matches: boolean | null } | undefined;
  return (
    <>
      <Fact id="config" label="Config loaded">
        {d.configLoaded ? `yes (${text(d.handlers, "0")} reverse_proxy handler(s))` : "no"}
      </Fact>
      <Fact id="upstreams" label="Upstreams and their health">
        {ups.length === 0 ? (
          "none"
        ) : (
          <ul className="grid gap-0.5 font-mono text-xs">
            {ups.map((u) => {
              const h = health.find((x) => x.address === u);
              return (
                <li key={u}>
                  {u} · {h ? `${h.fails} failed, ${h.numRequests} in flight` : "no health record"}
                </li>
              );
            })}
          </ul>
        )}
      </Fact>
      <Fact id="tls" label="TLS certificate">
        {tls?.daysLeft != null ? `${tls.daysLeft} days left · ${text(tls.issuer)}` : text(tls?.note)}
      </Fact>
      <Fact id="dns" label="DNS">
        {dns ? (dns.note ?? `A ${dns.records.join(", ")} → the proxy host (${dns.expected})`) : "—"}
      </Fact>
      <ContainerFacts check={check} />
    </>
  );
}

/** The live figures of one service's last check, per kind. */
export function ServiceFacts({ health }: { health: Health }) {
  const { check } = health;
  if (!check)
    return <p className="text-sm text-muted">Not checked yet: the first check runs shortly after the panel starts, or press Check now.</p>;
  const body = {
    app: <AppFacts check={check} external={health.external} />,
    db: <DbFacts check={check} />,
    cache: <CacheFacts check={check} />,
    proxy: <ProxyFacts check={check} />,
  }[health.service.kind as string];
  return (
    <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Live checks">
      {body ?? (
        <Fact id="none" label="Checks">
          The health sweep does not probe {health.service.kind} services.
        </Fact>
      )}
    </dl>
  );
}
