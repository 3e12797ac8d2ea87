import { CheckStatus } from "@/components/golive/check-status";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { AuditChange } from "@/server/domain/security-audit";
import { isRegression } from "./security-look";

/** What changed since the run before: a check's verdict from → to, regressions (pass → fail) first and in red. */
export function AuditChangesCard({ changes, isFirstRun }: { changes: AuditChange[]; isFirstRun: boolean }) {
  const changed = changes.filter((c) => c.from !== "new").sort((a, b) => Number(isRegression(b)) - Number(isRegression(a)));
  const added = changes.length - changed.length;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Changes since the previous run</CardTitle>
        <CardDescription>
          {isFirstRun
            ? "This is the first run: nothing to compare with yet."
            : changed.length === 0
              ? "No check changed its verdict."
              : `${changed.length} ${changed.length === 1 ? "check" : "checks"} changed.`}
          {added > 0 && !isFirstRun ? ` ${added} new ${added === 1 ? "check" : "checks"} since then.` : ""}
        </CardDescription>
      </CardHeader>
      {changed.length > 0 ? (
        <CardContent>
          <ul aria-label="Changes since the previous run" className="grid gap-1.5 text-sm">
            {changed.map((c) => (
              <ChangeLine key={`${c.host}/${c.checkId}`} change={c} />
            ))}
          </ul>
        </CardContent>
      ) : null}
    </Card>
  );
}

function ChangeLine({ change }: { change: AuditChange }) {
  const regression = isRegression(change);
  return (
    <li className={cn("flex flex-wrap items-center gap-2 rounded-md px-2 py-1", regression && "bg-danger/10 ring-1 ring-danger/30")}>
      {regression ? <Badge tone="danger">regression</Badge> : null}
      <span className="font-mono text-[13px]">{change.host}</span>
      <span className="text-fg">{change.label}</span>
      <span className="flex items-center gap-1">
        <CheckStatus status={change.from} />
        <span aria-hidden="true">→</span>
        <span className="sr-only">to</span>
        <CheckStatus status={change.to} />
      </span>
    </li>
  );
}
