"use client";

import { useEffect, useState } from "react";
import { cn } from "@/components/ui/cn";
import { IconCircleCheck, IconX } from "@/components/ui/icons";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Spinner } from "@/components/ui/spinner";
import type { JobStep, StepStatus } from "@/server/jobs/types";
import { formatDurationMs } from "./job-status";

const STEP_LABELS: Record<StepStatus, string> = {
  pending: "Not started",
  running: "Running",
  succeeded: "Done",
  failed: "Failed",
  skipped: "Skipped",
  cancelled: "Cancelled",
  interrupted: "Interrupted",
};

/** The job's steps in order, each with its state, duration and (while running) its own progress. */
export function JobSteps({ steps, isJobActive }: { steps: JobStep[]; isJobActive: boolean }) {
  if (steps.length === 0) return null;
  return (
    <ol className="grid gap-1" aria-label="Steps">
      {steps.map((step) => (
        <StepRow key={step.key} step={step} isJobActive={isJobActive} />
      ))}
    </ol>
  );
}

function StepRow({ step, isJobActive }: { step: JobStep; isJobActive: boolean }) {
  const isRunning = step.status === "running" && isJobActive;
  const isNotRun = step.status === "pending" && !isJobActive;
  return (
    <li className={cn("grid gap-1.5 rounded-md px-2 py-1.5", isRunning && "bg-subtle/60")} data-step={step.key} data-status={step.status}>
      <div className="flex items-center gap-2 text-sm">
        <StepIcon status={step.status} />
        <span className={cn("min-w-0 flex-1 truncate", step.status === "pending" ? "text-muted" : "text-fg", isRunning && "font-medium")}>
          {step.label}
          <span className="sr-only"> ({isNotRun ? "not run" : STEP_LABELS[step.status]})</span>
        </span>
        <span className="shrink-0 text-xs tabular-nums text-muted">
          {isRunning ? (
            <Elapsed since={step.startedAt} />
          ) : isNotRun ? (
            "not run"
          ) : step.durationMs !== null ? (
            formatDurationMs(step.durationMs)
          ) : null}
        </span>
      </div>
      {isRunning && (step.progress !== null || step.detail) ? (
        <div className="pl-6">
          <ProgressBar
            label={step.detail ?? `${step.label}…`}
            value={(step.progress ?? 0) * 100}
            indeterminate={step.progress === null}
            showValue
          />
        </div>
      ) : !isRunning && step.detail ? (
        <p className={cn("pl-6 text-xs", step.status === "failed" ? "text-danger" : "text-muted")}>{step.detail}</p>
      ) : null}
    </li>
  );
}

function StepIcon({ status }: { status: StepStatus }) {
  const box = "flex size-4 shrink-0 items-center justify-center";
  switch (status) {
    case "running":
      return <Spinner label={null} className={cn(box, "text-info")} />;
    case "succeeded":
      return <IconCircleCheck className={cn(box, "text-success")} />;
    case "failed":
      return <IconX className={cn(box, "text-danger")} />;
    case "cancelled":
    case "interrupted":
      return <IconX className={cn(box, "text-warning")} />;
    case "skipped":
      return (
        <span className={cn(box, "text-muted")} aria-hidden="true">
          –
        </span>
      );
    default:
      return (
        <span className={box} aria-hidden="true">
          <span className="size-2.5 rounded-full border border-border-strong" />
        </span>
      );
  }
}

/** Time since `since`, ticking every second. */
function Elapsed({ since }: { since: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  if (!since) return null;
  return <>{formatDurationMs(Math.max(0, now - Date.parse(since)))}</>;
}
