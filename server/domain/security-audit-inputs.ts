import { z } from "zod";
import { ZStackRef } from "./fields";

/** A check's stable id as an accepted risk names it: "ssh-password-auth", "ports-published:3306". */
export const ZAuditRule = z
  .string()
  .min(1, "Required")
  .max(80, "At most 80 characters")
  .regex(/^[A-Za-z0-9:._-]+$/, "Letters, digits and : . _ - (a check id such as env:secret-placeholder:UPLOAD_TOKEN_SECRET)");

/**
 * What `security.acceptRisk` takes; the page's dialog checks it with the same schema before sending.
 * Security: a typed reason is required, so an accepted risk always says why it was accepted.
 */
export const ZAcceptRiskInput = z.object({
  stack: ZStackRef,
  rule: ZAuditRule,
  subject: z.string().min(1, "Required").max(120, "At most 120 characters"),
  reason: z.string().trim().min(10, "Say why, in at least 10 characters").max(500, "At most 500 characters"),
});
export type TAcceptRiskInput = z.infer<typeof ZAcceptRiskInput>;
