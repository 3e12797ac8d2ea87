import { z } from "zod";
import { ZCreateUserInput } from "@/server/domain/accounts";
import { ZId, ZRole } from "@/server/domain/fields";
import { createUser, deleteUserById, listUsers, updateUserRole } from "@/server/services/users/users";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { resetTotp } from "@/server/services/auth/totp";
import { adminUserProcedure, createTRPCRouter, viewerProcedure } from "../init";

export const userRouter = createTRPCRouter({
  /** Any caller, a token too: it only echoes who the caller is. */
  me: viewerProcedure.query(({ ctx }) => ctx.actor),
  list: adminUserProcedure.query(() => listUsers()),
  create: adminUserProcedure.input(ZCreateUserInput).mutation(async ({ input, ctx }) => {
    const user = await createUser(input);
    await recordAuditEvent(ctx.actor, { action: "user.create", target: user.email, details: { role: user.role } });
    return user;
  }),
  setRole: adminUserProcedure.input(z.object({ id: ZId, role: ZRole })).mutation(async ({ input, ctx }) => {
    const user = await updateUserRole(input.id, input.role);
    await recordAuditEvent(ctx.actor, { action: "user.set-role", target: user.email, details: { role: input.role } });
    return user;
  }),
  /** For a user who lost their authenticator: they sign in with the password alone and may enrol again. */
  resetTotp: adminUserProcedure.input(z.object({ id: ZId })).mutation(async ({ input, ctx }) => {
    const user = await resetTotp(input.id);
    await recordAuditEvent(ctx.actor, { action: "user.totp-reset", target: user.email });
  }),
  delete: adminUserProcedure.input(z.object({ id: ZId })).mutation(async ({ input, ctx }) => {
    const deleted = await deleteUserById(input.id, ctx.actor.id);
    await recordAuditEvent(ctx.actor, {
      action: "user.delete",
      target: deleted.email,
      details: { id: input.id, role: deleted.role, tokensRevoked: deleted.tokensRevoked },
    });
  }),
});
