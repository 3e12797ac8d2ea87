import { Alert } from "@/components/ui/alert";
import type { StreamStatus } from "./use-log-stream";

/** The status badge's words: "cut-short" reads as what it means for the user. */
export const STATUS_LABELS: Record<StreamStatus, string> = {
  idle: "idle",
  connecting: "connecting",
  live: "live",
  ended: "ended",
  error: "error",
  "cut-short": "incomplete",
};

/**
 * How the stream stopped, when that needs saying: a filter the server cut short (so the lines shown
 * are only part of the matches, never to be read as "nothing else matched"), or a failure.
 */
export function LogStreamNotice({ status, error, notice }: { status: StreamStatus; error: string | null; notice?: string | null }) {
  if (status === "cut-short") {
    return (
      <Alert tone="warning" className="mb-3" title="The filter was stopped: the results are incomplete" data-testid="log-filter-stopped">
        {error}
      </Alert>
    );
  }
  if (!error && notice && status === "live") {
    return (
      <Alert tone={/reconnecting/i.test(notice) ? "warning" : "info"} subtle className="mb-3" data-testid="log-stream-note">
        {notice}
      </Alert>
    );
  }
  if (!error) return null;
  return (
    <Alert tone="danger" subtle className="mb-3" title="The log could not be read">
      {error}
    </Alert>
  );
}

/** Over the empty list once a filtered window has ended with no line: a complete search that found nothing. */
export function NoMatchHint({ status, hasFilter, isEmpty }: { status: StreamStatus; hasFilter: boolean; isEmpty: boolean }) {
  if (status !== "ended" || !hasFilter || !isEmpty) return null;
  return (
    <p className="absolute inset-x-0 top-8 text-center text-sm text-muted" data-testid="log-no-match">
      No line matches the filter in this window.
    </p>
  );
}
