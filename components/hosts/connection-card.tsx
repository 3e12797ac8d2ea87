"use client";

import { Timestamp } from "@/components/audit/timestamp";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { messageOf } from "@/trpc/errors";
import type { RouterOutputs } from "@/trpc/react";
import type { HostView } from "./host-status";

type ConnectionCardProps = {
  host: HostView;
  result: RouterOutputs["host"]["testConnection"] | undefined;
  error: unknown;
  isTesting: boolean;
};

/** Result of the header's "Test connection"; before any test, the stored last check. */
export function ConnectionCard({ host, result, error, isTesting }: ConnectionCardProps) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Connection</CardTitle>
        <CardDescription>SSH with the pinned host key, then the Docker Engine over its socket.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {isTesting ? (
          <p className="flex items-center gap-2 text-sm text-muted">
            <Spinner label={null} /> Testing the connection to {host.name}…
          </p>
        ) : error ? (
          <Alert tone="danger" subtle title="Connection test failed">
            {messageOf(error)}
          </Alert>
        ) : result ? (
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
            <dt className="text-muted">SSH latency</dt>
            <dd className="font-mono tabular-nums">{result.latencyMs} ms</dd>
            <dt className="text-muted">OS</dt>
            <dd>{result.os}</dd>
            <dt className="text-muted">Kernel</dt>
            <dd className="font-mono text-[13px]">{result.kernel}</dd>
            <dt className="text-muted">Docker Engine</dt>
            <dd className="font-mono text-[13px]">
              {result.dockerVersion} <span className="text-muted">(API {result.dockerApiVersion})</span>
            </dd>
          </dl>
        ) : (
          <LastCheckSummary host={host} />
        )}
      </CardContent>
    </Card>
  );
}

function LastCheckSummary({ host }: { host: HostView }) {
  if (host.lastCheckOk === null) {
    return <p className="text-sm text-muted">Not checked yet. Press Test connection to check SSH and Docker.</p>;
  }
  if (host.lastCheckOk) {
    return (
      <p className="text-sm text-muted">
        Last check succeeded <Timestamp value={host.lastCheckAt} />. Press Test connection for details.
      </p>
    );
  }
  return (
    <Alert tone="danger" subtle title="The last check failed">
      {host.lastError ?? "No detail recorded."}{" "}
      <span className="text-muted">
        (<Timestamp value={host.lastCheckAt} />)
      </span>
    </Alert>
  );
}
