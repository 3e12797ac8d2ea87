import { db } from "@/server/db";
import { AppError, isAppError } from "@/server/errors";
import { countFailure, clearFailures, PAIR_LIMIT, waitMsFor } from "./login-throttle";
import { verifyPassword } from "./password";

/**
 * Checks the signed-in user's current password before a sensitive change (a new password, setting up
 * or removing a second factor). Security: an open session alone is not enough, and guessing the
 * password through these forms waits like sign-in does (5 tries, then 30 s doubling), checked before
 * any hashing. Throws a field error (`field`, default "password") when it is wrong.
 */
export async function verifyCurrentPassword(userId: string, password: string, field = "password"): Promise<void> {
  const key = `reauth:${userId}`;
  const waitMs = await waitMsFor(key);
  if (waitMs > 0) {
    const minutes = Math.ceil(waitMs / 60_000);
    throw new AppError("BAD_REQUEST", `Too many wrong passwords: try again in ${minutes} minute${minutes === 1 ? "" : "s"}`, {
      data: { field, reason: "wrong-password" },
    });
  }
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user) throw new AppError("NOT_FOUND", "User not found");
  if (!(await verifyPassword(user.passwordHash, password))) {
    await countFailure(key, PAIR_LIMIT);
    throw new AppError("BAD_REQUEST", "That is not your current password.", { data: { field, reason: "wrong-password" } });
  }
  await clearFailures(key);
}

/** True for the refusal of verifyCurrentPassword (for the audit trail). */
export function isWrongPasswordError(err: unknown): boolean {
  return isAppError(err) && err.data?.reason === "wrong-password";
}
