import { db } from "@/server/db";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { checkPassword } from "@/server/services/users/users";
import type { Actor } from "./actor";
import { issueLoginTicket } from "./login-ticket";
import { clearLoginFailures, loginWaitMs, oneCheckAtATime, recordLoginFailure } from "./login-throttle";
import { checkSecondFactor } from "./totp";

export type SignInResult =
  | { ok: true; ticket: string }
  | { ok: false; reason: "invalid" | "code-required" | "code-invalid" }
  | { ok: false; reason: "throttled"; waitMs: number };

/**
 * Every check of a sign-in, in order: the account's wait after failures (nothing else is tried while
 * it lasts), the password, and for users with two-factor sign-in a current code or a recovery code.
 * Failures count towards the wait and are audited; a success clears them and yields a single-use
 * ticket for Auth.js (see login-ticket.ts). Checks of one account run one at a time, so parallel
 * guesses cannot all slip through before the first failure is counted.
 */
export function checkSignIn(input: { email: string; password: string; code?: string }): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  return oneCheckAtATime(email, () => check(email, input));
}

async function check(email: string, input: { password: string; code?: string }): Promise<SignInResult> {
  const waitMs = await loginWaitMs(email);
  if (waitMs > 0) return { ok: false, reason: "throttled", waitMs };
  const user = await checkPassword(email, input.password);
  const who: Actor = { kind: "user", id: user?.id ?? null, label: email, role: user?.role ?? "VIEWER" };
  if (!user) return fail(email, who, "invalid", "wrong email or password");
  if (user.hasTotp) {
    const code = input.code?.trim() ?? "";
    if (!code) return { ok: false, reason: "code-required" };
    const kind = await checkSecondFactor(user.id, code);
    if (!kind) return fail(email, who, "code-invalid", "wrong or reused second-factor code");
    if (kind === "recovery") await recordAuditEvent(who, { action: "auth.recovery-code-used", target: email });
  }
  await clearLoginFailures(email);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAuditEvent(who, { action: "auth.sign-in", target: email, details: { secondFactor: user.hasTotp } });
  return { ok: true, ticket: issueLoginTicket(user.id) };
}

async function fail(email: string, who: Actor, reason: "invalid" | "code-invalid", why: string): Promise<SignInResult> {
  await recordLoginFailure(email);
  await recordAuditEvent(who, { action: "auth.sign-in.failed", target: email, details: { why }, ok: false });
  return { ok: false, reason };
}
