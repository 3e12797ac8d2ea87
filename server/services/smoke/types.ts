import type { SmokeStepName } from "./steps";

/** One smoke step as the job log and the deployment's evidence show it. */
export interface SmokeStepResult {
  name: SmokeStepName;
  ok: boolean;
  /** The HTTP status of the step's deciding answer. */
  status?: number;
  ms: number;
  /** Where the step went (no query, no credentials). */
  url?: string;
  /** The app's X-App-Version header, when it sent one. */
  version?: string | null;
  /** What was seen when it passed: "image/png, 412 bytes", "account created now". */
  detail?: string;
  /** Why it failed: the status, content type and length of the answer, and what to do; never a body. */
  error?: string;
  /** Set when the step did not run because a step it needs failed: the reason. */
  skipped?: string;
}

export interface SmokeRun {
  /** True when every chosen step passed. */
  ok: boolean;
  steps: SmokeStepResult[];
  /** The smoke account, when the account step ran far enough to know. */
  account?: { email: string; created: boolean };
}

/** What a step's code returns; the runner adds the name and the timing. */
export interface StepOutcome {
  ok: boolean;
  status?: number;
  url?: string;
  version?: string | null;
  detail?: string;
  error?: string;
}
