"use client";

import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { StatusDot } from "@/components/ui/status-dot";
import { api } from "@/trpc/react";
import { LeftoverCandidates } from "./leftover-candidates";

/** What runs now, read from the hosts and the proxy (refreshed every 10 s and after each job). */
export function LiveStateCard({ stack }: { stack: string }) {
  const live = api.deploy.live.useQuery({ stack }, { refetchInterval: 10_000 });
  const lock = api.deploy.lock.useQuery({ stack }, { refetchInterval: 10_000 });
  const isLocked = lock.data !== null;
  const data = live.data;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Live now</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        {!data ? <span className="text-muted">Checking the hosts…</span> : null}
        {data?.error ? (
          <Alert tone="danger" subtle title="Could not read the live state">
            {data.error}
          </Alert>
        ) : null}
        {data && !data.error ? (
          <>
            {data.hosts.map((h) => (
              <div key={h.host} className="flex flex-wrap items-center gap-2" data-testid="live-host">
                <StatusDot tone={h.live ? "success" : "danger"} label={h.live ? "running" : "no live container"} />
                <span className="font-medium">{h.host}</span>
                {h.live ? (
                  <>
                    <Badge tone="info" className="font-mono" data-testid="live-tag">
                      {h.live.tag ?? "unknown tag"}
                    </Badge>
                    <span className="font-mono text-muted">
                      {h.live.name} on 127.0.0.1:{h.live.port}
                    </span>
                  </>
                ) : (
                  <span className="text-danger">
                    no running app container{" "}
                    <span className="text-muted">(a deploy creates the first one from the app environment saved in the panel)</span>
                  </span>
                )}
                {h.retained.length ? <span className="text-muted">· kept for rollback: {h.retained.join(", ")}</span> : null}
                {h.leftovers.length ? <LeftoverCandidates stack={stack} host={h.host} leftovers={h.leftovers} isLocked={isLocked} /> : null}
              </div>
            ))}
            <div className="flex items-center gap-2">
              <StatusDot
                tone={data.isConsistent ? "success" : "warning"}
                label={data.isConsistent ? "proxy consistent" : "proxy inconsistent"}
              />
              <span>
                Proxy sends traffic to <span className="font-mono">{data.upstreams?.join(", ") || "nothing"}</span>
              </span>
              {!data.isConsistent ? <span className="text-warning">— not the live container(s): check the proxy or redeploy</span> : null}
            </div>
            <span className="text-xs text-muted">checked {new Date(data.checkedAt).toLocaleTimeString()}</span>
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}
