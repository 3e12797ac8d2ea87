import { db } from "@/server/db";
import { UNKNOWN_ADDRESS } from "@/server/http/client-address";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { checkPassword, findUserByEmail, type PublicUser } from "@/server/services/users/users";
import type { Actor } from "./actor";
import { issueLoginTicket } from "./login-ticket";
import { oneCheckAtATime, recordSignInFailure, recordSignInSuccess, signInKeys, signInWait, type SignInKeys } from "./login-throttle";
import { checkSecondFactor } from "./totp";

export type SignInResult =
  | { ok: true; ticket: string }
  | { ok: false; reason: "invalid" | "code-required" | "code-invalid" }
  | { ok: false; reason: "throttled"; waitMs: number; scope: "address" | "account" };

/** Security: what the audit trail says instead of a typed email that is no account (it may be a password typed in the wrong field). */
export const UNKNOWN_ACCOUNT = "unknown account";

interface Attempt {
  email: string;
  password: string;
  code?: string;
  address: string;
  keys: SignInKeys;
}

/**
 * Every check of a sign-in, in order: the waits after failures (of the client's address, of this
 * account from that address, of the account from everywhere; see login-throttle.ts), then the
 * password, and for users with two-factor sign-in a current code or a recovery code. Nothing is
 * hashed while a wait lasts. Failures count towards the waits and are audited; a success clears its
 * own (account, address) failures only and yields a single-use ticket for Auth.js (see
 * login-ticket.ts). Checks from one address, then of one account, run one at a time, so parallel
 * guesses cannot all slip through before the first failure is counted.
 */
export function checkSignIn(input: { email: string; password: string; code?: string; address?: string }): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const address = input.address ?? UNKNOWN_ADDRESS;
  const keys = signInKeys(email, address);
  const attempt: Attempt = { email, password: input.password, code: input.code, address, keys };
  return oneCheckAtATime(keys.address, () => oneCheckAtATime(keys.account, () => check(attempt)));
}

async function check(attempt: Attempt): Promise<SignInResult> {
  const wait = await signInWait(attempt.keys);
  if (wait) return { ok: false, reason: "throttled", ...wait };
  const user = await checkPassword(attempt.email, attempt.password);
  if (!user) return fail(attempt, await findUserByEmail(attempt.email), "invalid");
  if (user.hasTotp) {
    const code = attempt.code?.trim() ?? "";
    if (!code) return { ok: false, reason: "code-required" };
    const kind = await checkSecondFactor(user.id, code);
    if (!kind) return fail(attempt, user, "code-invalid");
    if (kind === "recovery") await recordAuditEvent(actorOf(user), { action: "auth.recovery-code-used", target: user.email });
  }
  await recordSignInSuccess(attempt.keys);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAuditEvent(actorOf(user), {
    action: "auth.sign-in",
    target: user.email,
    details: { secondFactor: user.hasTotp, address: attempt.address },
  });
  return { ok: true, ticket: issueLoginTicket(user.id) };
}

const actorOf = (user: PublicUser): Actor => ({ kind: "user", id: user.id, label: user.email, role: user.role });

/** `user`: the account the email names, if any (null: the typed email is no account). */
async function fail(attempt: Attempt, user: PublicUser | null, reason: "invalid" | "code-invalid"): Promise<SignInResult> {
  const addressWaitMs = await recordSignInFailure(attempt.keys);
  const who: Actor = user ? actorOf(user) : { kind: "user", id: null, label: UNKNOWN_ACCOUNT, role: "VIEWER" };
  const why = !user ? "no account with that email" : reason === "invalid" ? "wrong password" : "wrong or reused second-factor code";
  await recordAuditEvent(who, {
    action: "auth.sign-in.failed",
    target: user?.email ?? UNKNOWN_ACCOUNT,
    details: { why, address: attempt.address },
    ok: false,
  });
  if (addressWaitMs > 0)
    await recordAuditEvent(who, {
      action: "auth.address-throttled",
      target: attempt.address,
      details: { waitMs: addressWaitMs, why: "too many failed sign-ins from this address" },
      ok: false,
    });
  return { ok: false, reason };
}
