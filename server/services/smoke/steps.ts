import { z } from "zod";
import { AppError } from "@/server/errors";
import { describeFieldErrors, flattenFieldErrors } from "@/server/field-errors";

/** What a stack's setting chooses (stored per stack): each key runs one or more steps. */
export const SMOKE_STEP_KEYS = ["ping", "home", "account", "upload", "direct-upload"] as const;
export type SmokeStepKey = (typeof SMOKE_STEP_KEYS)[number];

/** Safe for every app version, including those without accounts: what the panel ran before. */
export const DEFAULT_SMOKE_STEPS: readonly SmokeStepKey[] = ["ping", "home"];
/** Everything the go-live plan's smoke tests cover. */
export const ALL_SMOKE_STEPS: readonly SmokeStepKey[] = SMOKE_STEP_KEYS;

/** The names an operator sees in the job log and the evidence, in the order they run. */
export const SMOKE_STEP_NAMES = ["ping", "home page", "register / log in", "upload", "thumbnail", "direct upload", "cleanup"] as const;
export type SmokeStepName = (typeof SMOKE_STEP_NAMES)[number];

const RUNS: Record<SmokeStepKey, SmokeStepName[]> = {
  ping: ["ping"],
  home: ["home page"],
  account: ["register / log in"],
  upload: ["upload", "thumbnail", "cleanup"],
  "direct-upload": ["direct upload"],
};

export const ZSmokeSteps = z
  .array(z.enum(SMOKE_STEP_KEYS, { error: `Each smoke step must be one of ${SMOKE_STEP_KEYS.join(", ")}` }))
  .min(1, "Choose at least one smoke step (ping is enough for an app version without accounts)")
  .refine((keys) => new Set(keys).size === keys.length, { message: "A smoke step is listed twice" })
  .refine((keys) => !keys.includes("upload") || keys.includes("account"), {
    message: "The upload step needs the account step (uploads are made by the smoke account)",
  });

/** Validates a stack's stored setting; a bad one is an operator error that names the field. */
export function parseSmokeSteps(value: unknown, field = "smokeSteps"): SmokeStepKey[] {
  const parsed = ZSmokeSteps.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = flattenFieldErrors(parsed.error, field) ?? {};
  const rules = Object.values(errors).flat();
  throw new AppError("BAD_REQUEST", `${field}: ${rules.join(", ") || describeFieldErrors(errors)}`, { data: { field } });
}

/** The steps a setting runs, in run order. */
export function stepsToRun(keys: readonly SmokeStepKey[]): SmokeStepName[] {
  const wanted = new Set(keys.flatMap((k) => RUNS[k]));
  return SMOKE_STEP_NAMES.filter((n) => wanted.has(n));
}
