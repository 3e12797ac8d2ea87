"use client";

import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { ChannelForm } from "./channel-form";

/** Where alerts go, each with a "Send test" button. */
export function ChannelsCard() {
  const utils = api.useUtils();
  const isAdmin = useCan("ADMIN");
  const channels = api.alerts.channels.useQuery();
  const test = api.alerts.testChannel.useMutation({
    onSuccess: () => toast.success("Test message sent"),
    onError: (err) => toast.error(messageOf(err)),
  });
  const remove = api.alerts.deleteChannel.useMutation({
    onSuccess: () => void utils.alerts.channels.invalidate(),
    onError: (err) => toast.error(messageOf(err)),
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Channels</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        {channels.isPending ? (
          <LoadingBlock label="Loading channels" />
        ) : channels.isError ? (
          <LoadError error={channels.error} />
        ) : channels.data.length === 0 ? (
          <p className="text-sm text-muted">No channels yet: alerts are recorded in the history but nobody is notified.</p>
        ) : (
          <ul className="grid gap-2">
            {channels.data.map((c) => (
              <li
                key={c.id}
                className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-border px-3 py-2"
                data-testid={`channel-${c.name}`}
              >
                <span className="grid gap-0.5">
                  <span className="flex items-center gap-2 text-sm font-medium">
                    {c.name} <Badge>{c.kind}</Badge>
                  </span>
                  <span className="font-mono text-xs text-muted">
                    {c.url ?? (c.email ? `${c.email.host}:${c.email.port} → ${c.email.to.join(", ")}` : "")}
                  </span>
                </span>
                {isAdmin ? (
                  <span className="flex gap-2">
                    <Button
                      type="button"
                      size="sm"
                      variant="secondary"
                      loading={test.isPending && test.variables?.id === c.id}
                      onClick={() => test.mutate({ id: c.id })}
                    >
                      Send test
                    </Button>
                    <Button type="button" size="sm" variant="ghost" onClick={() => remove.mutate({ id: c.id })}>
                      Delete
                    </Button>
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {isAdmin ? <ChannelForm /> : null}
      </CardContent>
    </Card>
  );
}
