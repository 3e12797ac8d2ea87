import type { RouterOutputs } from "@/trpc/react";

type Change = RouterOutputs["env"]["diff"][number];

/** Key-by-key changes (+ added, − removed, ~ changed); a secret's values are never shown, only that it changed. */
export function EnvChangeList({ changes, testId, empty = "no change" }: { changes: Change[] | undefined; testId: string; empty?: string }) {
  return (
    <ul className="grid gap-0.5 font-mono text-xs" data-testid={testId}>
      {changes?.length === 0 ? <li className="text-muted">{empty}</li> : null}
      {changes?.map((c) => (
        <li key={c.key} className={c.change === "added" ? "text-success" : c.change === "removed" ? "text-danger" : "text-warning"}>
          {c.change === "added" ? "+" : c.change === "removed" ? "−" : "~"} {c.key}
          {c.from !== null || c.to !== null ? (
            <span className="text-muted">
              {" "}
              {c.from ?? ""}
              {c.change === "changed" ? " → " : ""}
              {c.to ?? ""}
            </span>
          ) : c.change === "changed" ? (
            <span className="text-muted"> (secret changed)</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
