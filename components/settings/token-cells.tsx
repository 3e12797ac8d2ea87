"use client";

import { Timestamp } from "@/components/audit/timestamp";
import { Badge } from "@/components/ui/badge";
import type { RouterOutputs } from "@/trpc/react";

type Token = RouterOutputs["token"]["list"][number];

/** The role asked for, and what it acts as when its creator's role is now lower. */
export function TokenRole({ token }: { token: Token }) {
  return (
    <div className="flex flex-wrap items-center gap-1">
      <Badge>{token.role}</Badge>
      {token.cappedTo ? (
        <Badge tone="warning" title="Its creator's role is lower now: the token acts with that role">
          capped to {token.cappedTo}
        </Badge>
      ) : null}
    </div>
  );
}

/** Who made it: a user (the token is capped by their role) or the CLI (a system token, capped by its own role only). */
export function TokenCreator({ token }: { token: Token }) {
  return (
    <div className="grid text-sm">
      <span title={token.origin === "cli" ? "Made with the panel CLI: capped by its own role only" : undefined}>{token.createdBy}</span>
      <span className="text-muted">
        <Timestamp value={token.createdAt} />
      </span>
    </div>
  );
}

export function TokenScope({ token }: { token: Token }) {
  return token.scopeLabel ? (
    <Badge tone="info">{token.scopeLabel}</Badge>
  ) : (
    <span className="text-sm text-muted">everything its role allows</span>
  );
}

export function TokenExpiry({ token }: { token: Token }) {
  return <Timestamp value={token.expiresAt} never="never" />;
}

export function TokenLastUsed({ token }: { token: Token }) {
  return (
    <div className="grid text-sm">
      <Timestamp value={token.lastUsedAt} />
      {token.lastUsedFrom ? <span className="font-mono text-[12px] text-muted">from {token.lastUsedFrom}</span> : null}
    </div>
  );
}

export function TokenStatus({ token }: { token: Token }) {
  if (token.status === "revoked")
    return (
      <Badge tone="danger">
        revoked <Timestamp value={token.revokedAt} />
      </Badge>
    );
  if (token.status === "expired") return <Badge tone="warning">expired</Badge>;
  if (!token.effectiveRole) return <Badge tone="danger">creator deleted</Badge>;
  return <Badge tone="success">active</Badge>;
}
