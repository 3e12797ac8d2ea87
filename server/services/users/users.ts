import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Role } from "@/server/domain/roles";
import { isRole } from "@/server/domain/roles";
import { hashPassword, verifyPassword } from "@/server/services/auth/password";
import { verifyCurrentPassword } from "@/server/services/auth/reauth";

export interface PublicUser {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  lastLoginAt: Date | null;
  /** Two-factor sign-in (TOTP) is on. */
  hasTotp: boolean;
}

function toPublicUser(u: {
  id: string;
  email: string;
  role: string;
  createdAt: Date;
  lastLoginAt: Date | null;
  totpEnabledAt: Date | null;
}): PublicUser {
  return {
    id: u.id,
    email: u.email,
    role: isRole(u.role) ? u.role : "VIEWER",
    createdAt: u.createdAt,
    lastLoginAt: u.lastLoginAt,
    hasTotp: u.totpEnabledAt !== null,
  };
}

export async function countUsers(): Promise<number> {
  return db.user.count();
}

/** Creates a user; a duplicate email is a CONFLICT naming the field. */
export async function createUser(input: { email: string; password: string; role: Role }): Promise<PublicUser> {
  const existing = await db.user.findUnique({ where: { email: input.email } });
  if (existing) {
    throw new AppError("CONFLICT", `A user with email ${input.email} already exists`, { data: { field: "email" } });
  }
  const passwordHash = await hashPassword(input.password);
  return toPublicUser(await db.user.create({ data: { email: input.email, passwordHash, role: input.role } }));
}

/**
 * Creates the first admin. Security: only while the store has no user at all, checked inside the
 * same transaction as the insert, so /setup can never be used to add a second admin.
 */
export async function createFirstAdmin(input: { email: string; password: string }): Promise<PublicUser> {
  const passwordHash = await hashPassword(input.password);
  const user = await db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) return null;
    return tx.user.create({ data: { email: input.email, passwordHash, role: "ADMIN" } });
  });
  if (!user) throw new AppError("CONFLICT", "Setup is already done: sign in, or ask an admin for an account");
  return toPublicUser(user);
}

/**
 * Checks an email and password; null on any mismatch (the same answer, and about the same time, for
 * an unknown email and a wrong password). The rest of signing in is in services/auth/sign-in.ts.
 */
export async function checkPassword(email: string, password: string): Promise<PublicUser | null> {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user) {
    await hashPassword(password); // keep timing similar for unknown emails
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? toPublicUser(user) : null;
}

/** Changes one's own password: the current one must be right (a stolen session alone cannot), and every session ends. */
export async function changePassword(userId: string, current: string, next: string): Promise<void> {
  await verifyCurrentPassword(userId, current, "current");
  // Every session ends, this one included: whoever else had it open must know the new password.
  await db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(next), sessionsValidAfter: new Date() } });
}

export async function findUserByEmail(email: string): Promise<PublicUser | null> {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  return user ? toPublicUser(user) : null;
}

/** The user behind a session, or null when the user is gone or the session predates sessionsValidAfter. */
export async function getSessionUser(id: string, authAt: number): Promise<PublicUser | null> {
  const user = await db.user.findUnique({ where: { id } });
  if (!user) return null;
  if (user.sessionsValidAfter && authAt < user.sessionsValidAfter.getTime()) return null;
  return toPublicUser(user);
}

/** Ends every session of a user (they sign in again); API tokens are not affected. */
export async function endSessions(userId: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { sessionsValidAfter: new Date() } });
}

export async function getUserById(id: string): Promise<PublicUser | null> {
  const user = await db.user.findUnique({ where: { id } });
  return user ? toPublicUser(user) : null;
}

export async function listUsers(): Promise<PublicUser[]> {
  return (await db.user.findMany({ orderBy: { createdAt: "asc" } })).map(toPublicUser);
}

/** Changes a role; the last admin cannot be demoted (the panel would lock itself out). */
export async function updateUserRole(id: string, role: Role): Promise<PublicUser> {
  const user = await db.user.findUnique({ where: { id } });
  if (!user) throw new AppError("NOT_FOUND", "User not found");
  if (user.role === "ADMIN" && role !== "ADMIN" && (await db.user.count({ where: { role: "ADMIN" } })) <= 1) {
    throw new AppError("CONFLICT", "This is the last admin: make another user admin first", { data: { field: "role" } });
  }
  return toPublicUser(await db.user.update({ where: { id }, data: { role } }));
}

/**
 * Deletes a user (never oneself, never the last admin); returns the deleted user's email for the audit
 * trail. Security: their API tokens are revoked in the same transaction (a token never outlives its
 * creator; see services/tokens/token-policy.ts).
 */
export async function deleteUserById(id: string, byUserId: string | null): Promise<{ email: string; role: string; tokensRevoked: number }> {
  if (id === byUserId) throw new AppError("CONFLICT", "You cannot delete your own account");
  const user = await db.user.findUnique({ where: { id } });
  if (!user) throw new AppError("NOT_FOUND", "User not found");
  if (user.role === "ADMIN" && (await db.user.count({ where: { role: "ADMIN" } })) <= 1) {
    throw new AppError("CONFLICT", "This is the last admin and cannot be deleted");
  }
  const revoked = await db.$transaction(async (tx) => {
    const tokens = await tx.apiToken.updateMany({ where: { createdById: id, revokedAt: null }, data: { revokedAt: new Date() } });
    await tx.user.delete({ where: { id } });
    return tokens.count;
  });
  return { email: user.email, role: user.role, tokensRevoked: revoked };
}
