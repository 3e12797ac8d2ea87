import { z } from "zod";
import { ZCreateTokenInput } from "@/server/domain/accounts";
import { ZId } from "@/server/domain/fields";
import { AppError } from "@/server/errors";
import { createApiToken, listApiTokens, revokeApiToken } from "@/server/services/tokens/api-tokens";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { adminUserProcedure, createTRPCRouter } from "../init";

export const tokenRouter = createTRPCRouter({
  list: adminUserProcedure.query(() => listApiTokens()),
  create: adminUserProcedure.input(ZCreateTokenInput).mutation(async ({ input, ctx }) => {
    // Never null here (adminUserProcedure admits users only): a panel token is always capped by its creator.
    const createdById = ctx.actor.id;
    if (!createdById) throw new AppError("FORBIDDEN", "Only a signed-in user can create a token");
    const created = await createApiToken({ ...input, createdById });
    const { view } = created;
    await recordAuditEvent(ctx.actor, {
      action: "token.create",
      target: input.name,
      details: { role: view.role, prefix: view.prefix, expiresAt: view.expiresAt?.toISOString() ?? null, scope: view.scopeLabel },
    });
    return created;
  }),
  revoke: adminUserProcedure.input(z.object({ id: ZId })).mutation(async ({ input, ctx }) => {
    const view = await revokeApiToken(input.id);
    await recordAuditEvent(ctx.actor, { action: "token.revoke", target: view.name });
    return view;
  }),
});
