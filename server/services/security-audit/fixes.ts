import type { AuditFixId } from "@/server/domain/security-audit";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import type { FixOutcome, FixPreview } from "./views";

export async function previewAuditFix(_input: { stack: string; host: string; fix: AuditFixId }): Promise<FixPreview> {
  throw new AppError("PRECONDITION_FAILED", "Not wired yet");
}

export async function applyAuditFix(_input: { stack: string; host: string; fix: AuditFixId; confirm: string }, _actor: Actor): Promise<FixOutcome> {
  throw new AppError("PRECONDITION_FAILED", "Not wired yet");
}
