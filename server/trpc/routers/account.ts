import { z } from "zod";
import { ZChangePasswordInput } from "@/server/domain/accounts";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp, getAccount } from "@/server/services/auth/totp";
import { changePassword, endSessions } from "@/server/services/users/users";
import { accountProcedure, createTRPCRouter } from "../init";

const ZCode = z.string().trim().min(6, "At least 6 characters").max(32, "At most 32 characters");

/** The caller's own account: password and two-factor sign-in. Every change is audited. */
export const accountRouter = createTRPCRouter({
  get: accountProcedure.query(({ ctx }) => getAccount(ctx.userId)),
  changePassword: accountProcedure.input(ZChangePasswordInput).mutation(async ({ input, ctx }) => {
    await changePassword(ctx.userId, input.current, input.next);
    await recordAuditEvent(ctx.actor, { action: "account.password-changed", target: ctx.actor.label });
  }),
  /** Every session of this user ends, this one included (a lost laptop, a shared computer). */
  signOutEverywhere: accountProcedure.mutation(async ({ ctx }) => {
    await endSessions(ctx.userId);
    await recordAuditEvent(ctx.actor, { action: "account.sessions-ended", target: ctx.actor.label });
  }),
  /** Returns the new secret and its QR code once; nothing changes at sign-in until it is confirmed. */
  beginTotp: accountProcedure.mutation(({ ctx }) => beginTotpEnrolment(ctx.userId)),
  confirmTotp: accountProcedure
    .input(
      z.object({
        code: z
          .string()
          .trim()
          .regex(/^\d{6}$/, "The 6-digit code from the app"),
      }),
    )
    .mutation(async ({ input, ctx }) => {
      const result = await confirmTotpEnrolment(ctx.userId, input.code);
      await recordAuditEvent(ctx.actor, { action: "account.totp-enabled", target: ctx.actor.label });
      return result;
    }),
  disableTotp: accountProcedure.input(z.object({ code: ZCode })).mutation(async ({ input, ctx }) => {
    await disableTotp(ctx.userId, input.code);
    await recordAuditEvent(ctx.actor, { action: "account.totp-disabled", target: ctx.actor.label });
  }),
});
