"use client";

import { useId } from "react";
import { Timestamp } from "@/components/audit/timestamp";
import { useCan } from "@/components/auth/role-context";
import { CheckStatus } from "@/components/golive/check-status";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import type { AuditCheck } from "@/server/domain/security-audit";
import { AcceptRiskButton } from "./accept-risk-dialog";
import { FixButton } from "./fix-button";
import { type LiveRisk, riskOf } from "./security-look";

/**
 * One check as a list item named by its label: the verdict in words (pass / fail / unknown), why it matters,
 * the fix to copy, the evidence on demand, and the admin's actions (the panel's fix, accept the risk).
 */
export function AuditCheckRow({
  stack,
  host,
  check,
  risks,
  onRerun,
}: {
  stack: string;
  host: string;
  check: AuditCheck;
  risks: readonly LiveRisk[];
  onRerun: () => void;
}) {
  const isAdmin = useCan("ADMIN");
  const labelId = useId();
  const isPass = check.verdict === "pass";
  const risk = riskOf(check.id, host, risks);
  return (
    <li aria-labelledby={labelId} data-check={check.id} className={cn("grid gap-2 px-3 py-2.5", check.verdict === "fail" && "bg-danger/5")}>
      <div className="flex flex-wrap items-center gap-2">
        <CheckStatus status={check.verdict} />
        <span id={labelId} className="text-sm font-medium text-fg">
          {check.label}
        </span>
        {risk ? <Badge tone="info">accepted risk</Badge> : null}
        {isAdmin && !isPass ? (
          <span className="ml-auto flex gap-2">
            {check.panelFix ? (
              <FixButton stack={stack} host={host} fix={check.panelFix} checkLabel={check.label} onRerun={onRerun} />
            ) : null}
            {check.verdict === "fail" && !risk ? <AcceptRiskButton stack={stack} host={host} check={check} /> : null}
          </span>
        ) : null}
      </div>
      {risk ? (
        <p className="text-xs text-muted">
          Accepted by {risk.by} <Timestamp value={risk.at} />: <q className="text-fg">{risk.reason}</q>
        </p>
      ) : null}
      {!isPass ? <p className="text-sm text-muted">{check.why}</p> : null}
      {check.fix ? <FixText fix={check.fix} /> : null}
      <details className="group text-sm">
        <summary className="cursor-pointer text-xs text-accent-text select-none hover:underline">
          {isPass ? "Evidence and why" : "Evidence"}
        </summary>
        <div className="mt-2 grid gap-2">
          {isPass ? <p className="text-muted">{check.why}</p> : null}
          <pre className="max-h-72 overflow-auto rounded-md bg-subtle px-3 py-2 font-mono text-[12px] whitespace-pre-wrap break-all text-fg">
            {check.evidence || "(no output)"}
          </pre>
        </div>
      </details>
    </li>
  );
}

function FixText({ fix }: { fix: string }) {
  return (
    <div className="flex items-start gap-2">
      <pre
        aria-label="How to fix"
        className="min-w-0 flex-1 overflow-x-auto rounded-md border border-border bg-subtle px-3 py-2 font-mono text-[12px] whitespace-pre-wrap text-fg"
      >
        {fix}
      </pre>
      <CopyButton text={fix} label="Copy fix" iconOnly />
    </div>
  );
}
