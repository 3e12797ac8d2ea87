import { z } from "zod";
import { ZCreateTokenInput } from "@/server/domain/accounts";
import { ZId } from "@/server/domain/fields";
import { createApiToken, listApiTokens, revokeApiToken } from "@/server/services/tokens/api-tokens";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { adminProcedure, createTRPCRouter } from "../init";

export const tokenRouter = createTRPCRouter({
  list: adminProcedure.query(() => listApiTokens()),
  create: adminProcedure.input(ZCreateTokenInput).mutation(async ({ input, ctx }) => {
    const created = await createApiToken({ ...input, createdById: ctx.actor.kind === "user" ? ctx.actor.id : null });
    await recordAuditEvent(ctx.actor, {
      action: "token.create",
      target: input.name,
      details: { role: input.role, prefix: created.view.prefix },
    });
    return created;
  }),
  revoke: adminProcedure.input(z.object({ id: ZId })).mutation(async ({ input, ctx }) => {
    const view = await revokeApiToken(input.id);
    await recordAuditEvent(ctx.actor, { action: "token.revoke", target: view.name });
    return view;
  }),
});
