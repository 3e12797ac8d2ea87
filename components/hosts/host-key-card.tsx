"use client";

import { useCan } from "@/components/auth/role-context";
import { Timestamp } from "@/components/audit/timestamp";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { messageOf } from "@/trpc/errors";
import { ChangedKeyAlert } from "./changed-key-alert";
import { FingerprintLine, VerifyInstructions } from "./fingerprint-line";
import type { HostView } from "./host-status";
import { usePinFlow } from "./use-pin-flow";

/** The SSH host key: the panel talks to a host only when the key it presents is the pinned one. */
export function HostKeyCard({ host }: { host: HostView }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Host key</CardTitle>
        <CardDescription>Proves the panel talks to this host and not to something in between.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {host.hostKeyState === "PINNED" ? <PinnedKey host={host} /> : null}
        {host.hostKeyState === "UNPINNED" ? <UnpinnedKey host={host} /> : null}
        {host.hostKeyState === "CHANGED" ? <ChangedKeyAlert host={host} /> : null}
        {host.publicKeyFingerprint ? (
          <p className="text-xs text-muted">
            Panel login key (public half): <span className="font-mono">{host.publicKeyFingerprint}</span>
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}

function PinnedKey({ host }: { host: HostView }) {
  return (
    <div className="grid gap-2 text-sm">
      <FingerprintLine label="Pinned fingerprint" value={host.hostKeyFingerprint} />
      <p className="text-xs text-muted">
        Pinned by {host.hostKeyPinnedBy ?? "unknown"}, <Timestamp value={host.hostKeyPinnedAt} never="at an unknown time" />
      </p>
    </div>
  );
}

function UnpinnedKey({ host }: { host: HostView }) {
  const isAdmin = useCan("ADMIN");
  const { fetchFingerprint, pin } = usePinFlow(host);
  const presented = fetchFingerprint.data?.fingerprint ?? null;

  return (
    <Alert
      tone="warning"
      title="This host's key is not verified yet"
      actions={
        isAdmin ? (
          <>
            <Button
              type="button"
              variant="secondary"
              size="sm"
              loading={fetchFingerprint.isPending}
              onClick={() => fetchFingerprint.mutate({ id: host.id })}
            >
              {presented ? "Fetch again" : "Fetch fingerprint"}
            </Button>
            {presented ? (
              <Button type="button" size="sm" loading={pin.isPending} onClick={() => pin.mutate({ id: host.id, fingerprint: presented })}>
                Accept fingerprint
              </Button>
            ) : null}
          </>
        ) : undefined
      }
    >
      <div className="grid gap-2">
        <p>
          The panel does not connect to {host.name} until an admin compares the key it presents with the one on the host and accepts it.
        </p>
        {presented ? (
          <>
            <FingerprintLine label="Presented fingerprint" value={presented} />
            <VerifyInstructions />
          </>
        ) : null}
        {fetchFingerprint.error ? <p className="font-medium text-danger">{messageOf(fetchFingerprint.error)}</p> : null}
        {pin.error ? <p className="font-medium text-danger">{messageOf(pin.error)}</p> : null}
        {!isAdmin ? <p className="text-muted">Ask an admin to verify and pin it.</p> : null}
      </div>
    </Alert>
  );
}
