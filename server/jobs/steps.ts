import type { JobStep, StepStatus } from "./types";

/** Fresh, pending steps from the list a job declares up front. */
export function createSteps(declared: { key: string; label: string; weight?: number }[]): JobStep[] {
  return declared.map((s) => pendingStep(s.key, s.label, s.weight));
}

function pendingStep(key: string, label: string, weight = 1): JobStep {
  return { key, label, status: "pending", startedAt: null, endedAt: null, durationMs: null, progress: null, detail: null, weight };
}

/** The step with `key`; a step the job did not declare is appended (labelled by its key). */
export function findOrAddStep(steps: JobStep[], key: string): JobStep {
  let step = steps.find((s) => s.key === key);
  if (!step) {
    step = pendingStep(key, key);
    steps.push(step);
  }
  return step;
}

export function markStepRunning(step: JobStep, now = new Date()): void {
  step.status = "running";
  step.startedAt = now.toISOString();
  step.endedAt = null;
  step.durationMs = null;
  step.progress = null;
  step.detail = null;
}

/** Ends a step; a step that never ran gets no duration. */
export function markStepEnded(step: JobStep, status: StepStatus, detail: string | null = step.detail, now = new Date()): void {
  step.status = status;
  step.endedAt = now.toISOString();
  step.durationMs = step.startedAt ? Math.max(0, now.getTime() - Date.parse(step.startedAt)) : null;
  if (status === "succeeded") step.progress = 1;
  step.detail = detail;
}

/** Closes steps still running when the job ends (their `fn` outlived the job's `run`). */
export function closeRunningSteps(steps: JobStep[], status: StepStatus, now = new Date()): void {
  for (const step of steps) {
    if (step.status === "running") markStepEnded(step, status, step.detail, now);
  }
}

/** Overall progress: finished steps count whole, the running ones by their own progress, by weight. */
export function computeProgress(steps: JobStep[]): number {
  const total = steps.reduce((sum, s) => sum + s.weight, 0);
  if (total <= 0) return 0;
  let done = 0;
  for (const s of steps) {
    if (s.status === "succeeded" || s.status === "skipped") done += s.weight;
    else if (s.status === "running") done += s.weight * (s.progress ?? 0);
  }
  return clampFraction(done / total);
}

export function clampFraction(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

/** Parses Job.steps; a damaged column yields no steps rather than a broken page. */
export function parseSteps(json: string): JobStep[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as JobStep[]) : [];
  } catch {
    return [];
  }
}
