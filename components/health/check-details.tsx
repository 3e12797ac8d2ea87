"use client";

import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RouterOutputs } from "@/trpc/react";
import { formatBytes, STATUS_LOOK } from "./status-style";

type Check = NonNullable<RouterOutputs["health"]["overview"]["sweep"]>["checks"][number];

/** The facts a check found, in a line an operator reads at a glance. */
export function summarizeCheck(c: Check): string {
  const d = c.details;
  const m = c.metrics;
  switch (c.kind) {
    case "app":
      return [
        d.tag && `tag ${String(d.tag)}`,
        d.port && `port ${String(d.port)}`,
        `restarts ${String(d.restarts ?? 0)}`,
        d.dockerHealth ? `docker ${String(d.dockerHealth)}` : null,
      ]
        .filter(Boolean)
        .join(" · ");
    case "external":
      return [d.url && String(d.url), d.status && `HTTP ${String(d.status)}`].filter(Boolean).join(" · ");
    case "db":
      return d.version
        ? `${String(d.version)} · up ${Math.round(Number(d.uptimeS) / 3600)} h · ${m.connections ?? 0}/${String(d.maxConnections)} connections · ${m.threadsRunning ?? 0} running · ${m.slowQueries ?? 0} slow · ${m.dbBytes !== undefined ? formatBytes(m.dbBytes) : "size ?"} · replication ${String(d.replication ?? "unknown")}`
        : "";
    case "cache": {
      const keys = d.keys as { db0: number; db1: number; db2: number } | undefined;
      return d.version
        ? `Redis ${String(d.version)} · ${formatBytes(m.usedMemory ?? 0)} used${Number(d.maxMemory) > 0 ? ` of ${formatBytes(Number(d.maxMemory))}` : " (no maxmemory)"} · ${m.clients ?? 0} clients · keys ${keys ? `${keys.db0}/${keys.db1}/${keys.db2}` : "?"} (cache/sessions/OAuth) · ${m.evicted ?? 0} evicted`
        : "";
    }
    case "proxy": {
      const tls = d.tls as { note?: string | null; daysLeft?: number | null; issuer?: string | null } | undefined;
      const ups = (d.upstreams as string[] | undefined) ?? [];
      return [
        d.configLoaded ? "config loaded" : null,
        ups.length ? `upstreams ${ups.join(", ")}` : null,
        tls?.daysLeft != null ? `TLS ${tls.daysLeft} days (${tls.issuer})` : tls?.note ? `TLS ${tls.note}` : null,
      ]
        .filter(Boolean)
        .join(" · ");
    }
    case "host":
      return c.status === "down"
        ? ""
        : `CPU ${m.cpu ?? "?"} % · IO wait ${m.iowait ?? "?"} % · load ${m.load1 ?? "?"} · memory ${m.mem ?? "?"} % · disk ${m.disk ?? "?"} % · inodes ${m.inodes ?? "?"} %`;
  }
  return "";
}

/** Every check of the last sweep, worst first. */
export function CheckDetails({ checks }: { checks: Check[] }) {
  const rank = { down: 0, warn: 1, unknown: 2, ok: 3 } as const;
  const sorted = [...checks].sort((a, b) => rank[a.status] - rank[b.status] || a.subject.localeCompare(b.subject));
  return (
    <Table aria-label="Checks">
      <TableHeader>
        <TableRow>
          <TableHead>Check</TableHead>
          <TableHead>State</TableHead>
          <TableHead>Latency</TableHead>
          <TableHead>Details</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {sorted.map((c) => (
          <TableRow key={c.subject} data-testid={`check-${c.subject}`}>
            <TableCell className="font-mono text-xs">{c.subject}</TableCell>
            <TableCell>
              <Badge tone={STATUS_LOOK[c.status].tone}>{STATUS_LOOK[c.status].label}</Badge>
            </TableCell>
            <TableCell className="tabular-nums text-xs">{c.latencyMs !== null ? `${c.latencyMs} ms` : "—"}</TableCell>
            <TableCell className="text-xs">
              {c.reason ? <p className="text-danger">{c.reason}</p> : null}
              <p className="text-muted">{summarizeCheck(c)}</p>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
