import { Badge } from "@/components/ui/badge";
import { formatAge } from "@/components/ui/format-age";

/**
 * When the shown state was checked. A state read back after a panel restart (or an old one) is
 * marked "last known" so it is never mistaken for a live one.
 */
export function SweepAge({ at, isStale, durationMs }: { at: string | null; isStale: boolean; durationMs?: number }) {
  if (!at)
    return <span data-testid="last-sweep">Not checked yet: the first check runs shortly after the panel starts, or press Check now.</span>;
  const took = durationMs !== undefined ? ` (${durationMs} ms)` : "";
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="last-sweep" data-stale={isStale ? "true" : "false"}>
      {isStale ? <Badge tone="warning">last known</Badge> : null}
      {isStale ? `Last known state, checked ${formatAge(at)}${took} — no newer check yet` : `Checked ${formatAge(at)}${took}`}
    </span>
  );
}
