"use client";

import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { ADMIN_TOKEN_DEFAULT_DAYS } from "@/server/domain/accounts";
import type { Role } from "@/server/domain/roles";
import { api } from "@/trpc/react";

const DAYS = [30, 90, 365] as const;

/** "30" | "90" | "365" | "never" → the procedure's expiresInDays. */
export function toExpiresInDays(value: string): number | null {
  return value === "never" ? null : Number(value);
}

/** Expiry choices; an ADMIN-role token must expire (no "never"), within a year. */
export function ExpirySelect({ role, error }: { role: Role; error?: string }) {
  const isAdmin = role === "ADMIN";
  return (
    <Field label="Expires" error={error} hint={isAdmin ? "Admin-role tokens always expire." : undefined}>
      {/* Keyed by role: switching to ADMIN falls back to the default instead of a "never" it cannot have. */}
      <Select key={isAdmin ? "admin" : "other"} name="expiresInDays" defaultValue={isAdmin ? String(ADMIN_TOKEN_DEFAULT_DAYS) : "never"}>
        {DAYS.map((d) => (
          <option key={d} value={String(d)}>
            in {d} days
          </option>
        ))}
        {isAdmin ? null : <option value="never">never</option>}
      </Select>
    </Field>
  );
}

/** "Anything its role allows", or only the deploys (deploy, rollback, its own jobs) of one stack. */
export function ScopeSelect({ error }: { error?: string }) {
  const stacks = api.stack.list.useQuery();
  return (
    <Field label="Scope" error={error} hint="A CI deploy token only needs its stack.">
      <Select name="stack" defaultValue="">
        <option value="">anything its role allows</option>
        {(stacks.data ?? []).map((s) => (
          <option key={s.id} value={s.name}>
            only deploys of {s.name}
          </option>
        ))}
      </Select>
    </Field>
  );
}
