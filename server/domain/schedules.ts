import { z } from "zod";
import { explainCronError } from "./cron";

export const SCHEDULE_KINDS = ["backup", "uploads", "drill"] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

const ZKeep = z.coerce.number({ error: "Must be a number" }).int("Must be a whole number").min(0, "At least 0").max(1000, "At most 1000");

/** A backup, uploads or drill schedule as the form and the procedures take it (cron checked with croner). */
export const ZScheduleInput = z.object({
  kind: z.enum(SCHEDULE_KINDS, { error: `One of ${SCHEDULE_KINDS.join(", ")}` }),
  cron: z
    .string()
    .trim()
    .min(1, "A cron expression is required")
    .max(120, "At most 120 characters")
    .superRefine((value, ctx) => {
      const problem = explainCronError(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  enabled: z.boolean(),
  keepLast: ZKeep,
  keepDaily: ZKeep,
  keepWeekly: ZKeep,
});
export type TScheduleInput = z.infer<typeof ZScheduleInput>;
