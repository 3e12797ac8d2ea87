"use client";

import { type ReactNode, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { scoreOf, type HostAuditResult } from "@/server/domain/security-audit";
import { AuditCheckRow } from "./audit-check-row";
import { formatScore, groupChecks, type LiveRisk } from "./security-look";

/** One host's audit: its score, a host-level error, and its checks by area, failing first. */
export function HostAuditCard({
  stack,
  result,
  risks,
  onRerun,
}: {
  stack: string;
  result: HostAuditResult;
  risks: readonly LiveRisk[];
  onRerun: () => void;
}) {
  const [hidePassing, setHidePassing] = useState(false);
  const titleId = useId();
  const score = scoreOf(result.checks);
  const groups = groupChecks(result.checks, { hidePassing });
  return (
    <Card aria-labelledby={titleId}>
      <CardHeader actions={<span className="text-2xl font-semibold tabular-nums">{formatScore(score.score)}</span>}>
        <CardTitle id={titleId} className="font-mono">
          {result.host}
        </CardTitle>
        <CardDescription>
          {result.roles.length ? result.roles.join(", ") : "no role"} · {score.passed} passed, {score.failed} failed, {score.unknown}{" "}
          unknown · took {(result.durationMs / 1000).toFixed(1)} s
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {result.error ? (
          <Alert tone="danger" title={`Could not audit ${result.host}`}>
            <p className="whitespace-pre-wrap">{result.error}</p>
            <p>Its checks are unknown until the panel can read the host again.</p>
          </Alert>
        ) : null}
        <Checkbox label="Hide passing checks" checked={hidePassing} onChange={(e) => setHidePassing(e.target.checked)} />
        {groups.length === 0 ? <p className="text-sm text-muted">Every check on this host passes.</p> : null}
        {groups.map((group) => (
          <AreaGroup key={group.area} host={result.host} label={group.label}>
            {group.checks.map((check) => (
              <AuditCheckRow key={check.id} stack={stack} host={result.host} check={check} risks={risks} onRerun={onRerun} />
            ))}
          </AreaGroup>
        ))}
      </CardContent>
    </Card>
  );
}

function AreaGroup({ host, label, children }: { host: string; label: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <div role="group" aria-labelledby={headingId} className="grid gap-2">
      <h3 id={headingId} className="text-xs font-semibold tracking-wide text-muted uppercase">
        {label}
      </h3>
      <ul aria-label={`${label} checks on ${host}`} className="grid divide-y divide-border rounded-lg border border-border">
        {children}
      </ul>
    </div>
  );
}
