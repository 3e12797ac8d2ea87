import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";

/** Starts the audit of every host of the stack as a job (WIP: replaced by the collector). */
export async function startSecurityAudit(_stack: string, _actor: Actor, _trigger: "manual" | "schedule" = "manual"): Promise<{ jobId: string }> {
  throw new AppError("PRECONDITION_FAILED", "The security audit is not wired yet");
}
