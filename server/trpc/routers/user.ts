import { z } from "zod";
import { ZCreateUserInput } from "@/server/domain/accounts";
import { ZId, ZRole } from "@/server/domain/fields";
import { createUser, deleteUserById, listUsers, updateUserRole } from "@/server/services/users/users";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { resetTotp } from "@/server/services/auth/totp";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

export const userRouter = createTRPCRouter({
  me: viewerProcedure.query(({ ctx }) => ctx.actor),
  list: adminProcedure.query(() => listUsers()),
  create: adminProcedure.input(ZCreateUserInput).mutation(async ({ input, ctx }) => {
    const user = await createUser(input);
    await recordAuditEvent(ctx.actor, { action: "user.create", target: user.email, details: { role: user.role } });
    return user;
  }),
  setRole: adminProcedure.input(z.object({ id: ZId, role: ZRole })).mutation(async ({ input, ctx }) => {
    const user = await updateUserRole(input.id, input.role);
    await recordAuditEvent(ctx.actor, { action: "user.set-role", target: user.email, details: { role: input.role } });
    return user;
  }),
  /** For a user who lost their authenticator: they sign in with the password alone and may enrol again. */
  resetTotp: adminProcedure.input(z.object({ id: ZId })).mutation(async ({ input, ctx }) => {
    const user = await resetTotp(input.id);
    await recordAuditEvent(ctx.actor, { action: "user.totp-reset", target: user.email });
  }),
  delete: adminProcedure.input(z.object({ id: ZId })).mutation(async ({ input, ctx }) => {
    const deleted = await deleteUserById(input.id, ctx.actor.kind === "user" ? ctx.actor.id : null);
    await recordAuditEvent(ctx.actor, { action: "user.delete", target: deleted.email, details: { id: input.id, role: deleted.role } });
  }),
});
