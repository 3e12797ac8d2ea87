"use client";

import Link from "next/link";
import { lightOf } from "@/components/security/security-look";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { StatusDot } from "@/components/ui/status-dot";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";

/** Each stack's security light from its last audit (grey until audited, never green with a check unknown), linking to its security page. */
export function SecurityLightsCard() {
  const lights = api.security.lights.useQuery();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Security</CardTitle>
      </CardHeader>
      <CardContent>
        {lights.isPending ? <p className="text-sm text-muted">Loading…</p> : null}
        {lights.isError ? <p className="text-sm text-danger">Could not load the audits: {messageOf(lights.error)}</p> : null}
        {lights.data?.length === 0 ? <p className="text-sm text-muted">No stacks yet.</p> : null}
        {lights.data?.length ? (
          <ul aria-label="Security per stack" className="grid gap-1.5 text-sm">
            {lights.data.map((light) => {
              const look = lightOf(light);
              return (
                <li key={light.stack} className="flex items-center justify-between gap-4">
                  <Link href={`/stacks/${light.stack}/security`} className="flex items-center gap-1.5 hover:underline">
                    <StatusDot tone={look.tone} label={look.label} />
                    {light.stack}
                  </Link>
                  <span className="text-xs text-muted tabular-nums">{look.text}</span>
                </li>
              );
            })}
          </ul>
        ) : null}
      </CardContent>
    </Card>
  );
}
