"use client";

import { TRPCClientError } from "@trpc/client";
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";

/** A plan rule the env breaks, as the save refused it (key, rule, a message without the value). */
export interface EnvViolation {
  key: string;
  rule: string;
  message: string;
}

export interface EnvOverride {
  rule: string;
  key: string;
  reason: string;
}

export const MIN_REASON = 10;

/** The violations a refused save carries in its details, or null when it was refused for another reason. */
export function violationsOf(err: unknown): EnvViolation[] | null {
  if (!(err instanceof TRPCClientError)) return null;
  const details = (err.data as { details?: { violations?: unknown } | null } | undefined)?.details;
  return Array.isArray(details?.violations) ? (details.violations as EnvViolation[]) : null;
}

/**
 * Beside the editor: each rule the env breaks, and for admins a way to save anyway by typing why
 * (recorded as an accepted risk, shown on the security page until revoked).
 */
export function EnvViolations({
  violations,
  accepted,
  canAccept,
  isSaving,
  onAccept,
}: {
  violations: EnvViolation[];
  accepted: EnvOverride[];
  canAccept: boolean;
  isSaving: boolean;
  onAccept: (override: EnvOverride) => void;
}) {
  return (
    <section role="alert" aria-labelledby="env-violations-title" className="grid content-start gap-2" data-testid="env-violations">
      <h3 id="env-violations-title" className="text-sm font-medium text-fg">
        Not saved: {violations.length === 1 ? "one rule" : `${violations.length} rules`} of the go-live plan broken
      </h3>
      <ul className="grid gap-2">
        {violations.map((v) => (
          <ViolationItem key={`${v.rule}:${v.key}`} violation={v} canAccept={canAccept} isSaving={isSaving} onAccept={onAccept} />
        ))}
      </ul>
      {accepted.length ? (
        <p className="text-xs text-muted">
          Risks you accepted for this save: {accepted.map((a) => `${a.key} (${a.rule})`).join(", ")}. They are recorded when the save
          succeeds.
        </p>
      ) : null}
    </section>
  );
}

function ViolationItem({
  violation,
  canAccept,
  isSaving,
  onAccept,
}: {
  violation: EnvViolation;
  canAccept: boolean;
  isSaving: boolean;
  onAccept: (override: EnvOverride) => void;
}) {
  const [isOpen, setIsOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    // Back on the button after Cancel or Escape, so the keyboard does not lose its place.
    if (wasOpen.current && !isOpen) buttonRef.current?.focus();
    wasOpen.current = isOpen;
  }, [isOpen]);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = reason.trim();
    if (trimmed.length < MIN_REASON) return setError(`Say why, in at least ${MIN_REASON} characters`);
    if (trimmed.length > 500) return setError("At most 500 characters");
    setError(null);
    onAccept({ rule: violation.rule, key: violation.key, reason: trimmed });
  }
  function handleKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.stopPropagation();
      setIsOpen(false);
    }
  }

  return (
    <li
      className="rounded-md border border-danger/30 bg-danger/5 p-3 text-sm"
      data-testid={`env-violation-${violation.rule}-${violation.key}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <code className="font-mono font-medium text-fg">{violation.key}</code>
        <Badge tone="danger">{violation.rule}</Badge>
      </div>
      <p className="mt-1 text-fg">{violation.message}</p>
      {canAccept && !isOpen ? (
        <Button ref={buttonRef} type="button" size="sm" variant="secondary" className="mt-2" onClick={() => setIsOpen(true)}>
          Accept this risk
        </Button>
      ) : null}
      {canAccept && isOpen ? (
        <form onSubmit={handleSubmit} onKeyDown={handleKeyDown} noValidate className="mt-2 grid gap-2">
          <Field
            label={`Why may ${violation.key} break ${violation.rule}?`}
            hint="Recorded with your name as an accepted risk, shown on the security page until revoked."
            error={error}
            required
          >
            <Textarea rows={2} autoFocus maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <div className="flex gap-2">
            <Button type="submit" size="sm" variant="danger" loading={isSaving}>
              Accept the risk and save
            </Button>
            <Button type="button" size="sm" variant="ghost" onClick={() => setIsOpen(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
    </li>
  );
}
