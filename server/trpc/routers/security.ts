import { z } from "zod";
import { ZId, ZName, ZStackRef } from "@/server/domain/fields";
import { AUDIT_FIXES } from "@/server/domain/security-audit";
import { ZAcceptRiskInput } from "@/server/domain/security-audit-inputs";
import { acceptRisk, revokeRisk } from "@/server/services/security-audit/accepted-risks";
import { applyAuditFix, previewAuditFix } from "@/server/services/security-audit/fixes";
import { securityLights, securityOverview } from "@/server/services/security-audit/runs";
import { startSecurityAudit } from "@/server/services/security-audit/start-audit";
import { adminProcedure, createTRPCRouter, deployerProcedure, viewerProcedure } from "../init";

const ZFix = z.enum(AUDIT_FIXES, { error: `One of ${AUDIT_FIXES.join(", ")}` });

/** The security audit of a stack's hosts: results, runs, the panel's fixes and accepted risks. */
export const securityRouter = createTRPCRouter({
  overview: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => securityOverview(input.stack)),
  lights: viewerProcedure.query(() => securityLights()),
  // Read-only on the hosts, but it runs commands there: deployers and admins.
  run: deployerProcedure.input(z.object({ stack: ZStackRef })).mutation(({ input, ctx }) => startSecurityAudit(input.stack, ctx.actor)),
  fixPreview: adminProcedure.input(z.object({ stack: ZStackRef, host: ZName, fix: ZFix })).mutation(({ input }) => previewAuditFix(input)),
  applyFix: adminProcedure
    .input(z.object({ stack: ZStackRef, host: ZName, fix: ZFix, confirm: z.string().max(64, "At most 64 characters") }))
    .mutation(({ input, ctx }) => applyAuditFix(input, ctx.actor)),
  acceptRisk: adminProcedure.input(ZAcceptRiskInput).mutation(({ input, ctx }) => acceptRisk(input, ctx.actor)),
  revokeRisk: adminProcedure.input(z.object({ id: ZId })).mutation(({ input, ctx }) => revokeRisk(input.id, ctx.actor)),
});
