import { z } from "zod";
import { ZChangePasswordInput, ZCurrentPassword } from "@/server/domain/accounts";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import type { Actor } from "@/server/services/auth/actor";
import { isWrongPasswordError } from "@/server/services/auth/reauth";
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp, getAccount } from "@/server/services/auth/totp";
import { changePassword, endSessions } from "@/server/services/users/users";
import { accountProcedure, createTRPCRouter } from "../init";

const ZCode = z.string().trim().min(6, "At least 6 characters").max(32, "At most 32 characters");
const ZTotpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "The 6-digit code from the app");

/** Runs a change that re-checks the password; a wrong one is audited as `<action>.refused` before the error goes back. */
async function auditRefusal<T>(actor: Actor, action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isWrongPasswordError(err))
      await recordAuditEvent(actor, {
        action: `${action}.refused`,
        target: actor.label,
        details: { why: "wrong current password" },
        ok: false,
      });
    throw err;
  }
}

/** The caller's own account: password and two-factor sign-in. Every change is audited. */
export const accountRouter = createTRPCRouter({
  get: accountProcedure.query(({ ctx }) => getAccount(ctx.userId)),
  changePassword: accountProcedure.input(ZChangePasswordInput).mutation(async ({ input, ctx }) => {
    await auditRefusal(ctx.actor, "account.password-change", () => changePassword(ctx.userId, input.current, input.next));
    await recordAuditEvent(ctx.actor, { action: "account.password-changed", target: ctx.actor.label });
  }),
  /** Every session of this user ends, this one included (a lost laptop, a shared computer). */
  signOutEverywhere: accountProcedure.mutation(async ({ ctx }) => {
    await endSessions(ctx.userId);
    await recordAuditEvent(ctx.actor, { action: "account.sessions-ended", target: ctx.actor.label });
  }),
  /** Returns the new secret and its QR code once; nothing changes at sign-in until it is confirmed. */
  beginTotp: accountProcedure
    .input(z.object({ password: ZCurrentPassword }))
    .mutation(({ input, ctx }) => auditRefusal(ctx.actor, "account.totp-enable", () => beginTotpEnrolment(ctx.userId, input.password))),
  confirmTotp: accountProcedure.input(z.object({ code: ZTotpCode, password: ZCurrentPassword })).mutation(async ({ input, ctx }) => {
    const result = await auditRefusal(ctx.actor, "account.totp-enable", () => confirmTotpEnrolment(ctx.userId, input.code, input.password));
    await recordAuditEvent(ctx.actor, { action: "account.totp-enabled", target: ctx.actor.label });
    return result;
  }),
  disableTotp: accountProcedure.input(z.object({ code: ZCode, password: ZCurrentPassword })).mutation(async ({ input, ctx }) => {
    await auditRefusal(ctx.actor, "account.totp-disable", () => disableTotp(ctx.userId, input.code, input.password));
    await recordAuditEvent(ctx.actor, { action: "account.totp-disabled", target: ctx.actor.label });
  }),
});
