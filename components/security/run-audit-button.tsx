"use client";

import { useId } from "react";
import { useCan } from "@/components/auth/role-context";
import { Button } from "@/components/ui/button";

const VIEWER_HINT = "Deployers and admins can run the audit";

/**
 * "Run audit now": deployers and admins; a viewer sees it disabled, with the reason on hover and for screen readers.
 * A run already in progress does not disable it: the server refuses a second one and says who holds it.
 */
export function RunAuditButton({ onRun, isStarting }: { onRun: () => void; isStarting: boolean }) {
  const canRun = useCan("DEPLOYER");
  const hintId = useId();
  const hint = canRun ? null : VIEWER_HINT;
  return (
    // A disabled button takes no pointer events, so the tooltip sits on its wrapper.
    <span title={hint ?? undefined} className="inline-flex">
      <Button type="button" onClick={onRun} loading={isStarting} disabled={!canRun} aria-describedby={hint ? hintId : undefined}>
        Run audit now
      </Button>
      {hint ? (
        <span id={hintId} className="sr-only">
          {hint}
        </span>
      ) : null}
    </span>
  );
}
