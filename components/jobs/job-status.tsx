import { Badge } from "@/components/ui/badge";
import { StatusDot } from "@/components/ui/status-dot";
import type { Tone } from "@/components/ui/tone";
import type { JobStatus } from "@/server/jobs/types";

const STATUS_TONES: Record<JobStatus, Tone> = {
  queued: "neutral",
  running: "info",
  succeeded: "success",
  failed: "danger",
  cancelled: "warning",
  interrupted: "warning",
};

const STATUS_LABELS: Record<JobStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
  interrupted: "Interrupted",
};

export function jobStatusTone(status: JobStatus): Tone {
  return STATUS_TONES[status] ?? "neutral";
}

export function jobStatusLabel(status: JobStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** The job's status as a coloured badge; a running job's dot pulses. */
export function JobStatusBadge({ status, isCancelling = false }: { status: JobStatus; isCancelling?: boolean }) {
  const tone = jobStatusTone(status);
  const isActive = status === "running" || status === "queued";
  return (
    <Badge tone={tone} data-status={status}>
      <StatusDot tone={tone} label={jobStatusLabel(status)} pulse={isActive} />
      <span aria-hidden="true">{isCancelling && isActive ? "Cancelling…" : jobStatusLabel(status)}</span>
    </Badge>
  );
}

/** "850 ms", "12.4 s", "3 min 05 s", "1 h 02 min". */
export function formatDurationMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1_000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}
