import { randomBytes } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import { decryptSecret, encryptSecret, sha256Hex } from "@/server/crypto";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { verifyCurrentPassword } from "./reauth";

const ISSUER = "PixelFox Ops";
const RECOVERY_CODES = 10;
/** One 30 s step either side: a phone clock a little off still works. */
const TOLERANCE_S = 30;

const aad = (userId: string) => `user:${userId}:totp`;

export interface TotpEnrolment {
  secret: string;
  uri: string;
  /** The otpauth URI as an SVG QR code, for authenticator apps. */
  qrSvg: string;
}

async function userRow(userId: string) {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("NOT_FOUND", "User not found");
  return user;
}

/**
 * Starts enrolment: a new secret, kept (encrypted) but not active until a code from it is confirmed.
 * Security: the current password is asked again here, at confirmation and to turn it off, so an open
 * session alone can neither bind the account to an attacker's device nor strip its second factor.
 */
export async function beginTotpEnrolment(userId: string, password: string): Promise<TotpEnrolment> {
  const user = await userRow(userId);
  if (user.totpEnabledAt) throw new AppError("CONFLICT", "Two-factor sign-in is already on: turn it off first to enrol a new device.");
  await verifyCurrentPassword(userId, password);
  const secret = generateSecret();
  await db.user.update({ where: { id: userId }, data: { totpSecretEnc: encryptSecret(secret, aad(userId)), totpLastStep: null } });
  const uri = generateURI({ issuer: ISSUER, label: user.email, secret });
  return { secret, uri, qrSvg: await QRCode.toString(uri, { type: "svg", margin: 1 }) };
}

/** Turns two-factor sign-in on once a code from the new secret checks out; returns the recovery codes (shown once). */
export async function confirmTotpEnrolment(userId: string, code: string, password: string): Promise<{ recoveryCodes: string[] }> {
  const user = await userRow(userId);
  if (user.totpEnabledAt) throw new AppError("CONFLICT", "Two-factor sign-in is already on.");
  if (!user.totpSecretEnc) throw new AppError("PRECONDITION_FAILED", "Start the set-up first: no secret is waiting for confirmation.");
  await verifyCurrentPassword(userId, password);
  const step = await matchTotp(decryptSecret(user.totpSecretEnc, aad(userId)), code);
  if (step === null)
    throw new AppError("BAD_REQUEST", "The code does not match the authenticator's current code (check the device's clock).", {
      data: { field: "code" },
    });
  const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  await db.user.update({
    where: { id: userId },
    data: { totpEnabledAt: new Date(), totpLastStep: step, recoveryCodes: JSON.stringify(codes.map(hashRecoveryCode)) },
  });
  return { recoveryCodes: codes };
}

/** Turns it off for oneself: the current password, and a current code (or a recovery code) proving the device is at hand. */
export async function disableTotp(userId: string, code: string, password: string): Promise<void> {
  await verifyCurrentPassword(userId, password);
  if ((await checkSecondFactor(userId, code)) === null)
    throw new AppError("BAD_REQUEST", "That is not a current authenticator code or an unused recovery code.", { data: { field: "code" } });
  await clearTotp(userId, false);
}

/**
 * Clears a user's two-factor sign-in for someone who lost the device (an admin, or the CLI): the
 * password alone signs in until they set it up again, and their sessions end (the device may be stolen).
 */
export async function resetTotp(userId: string): Promise<{ email: string }> {
  return clearTotp(userId, true);
}

async function clearTotp(userId: string, endSessions: boolean): Promise<{ email: string }> {
  const user = await userRow(userId);
  await db.user.update({
    where: { id: userId },
    data: {
      totpSecretEnc: null,
      totpEnabledAt: null,
      totpLastStep: null,
      recoveryCodes: "[]",
      ...(endSessions ? { sessionsValidAfter: new Date() } : {}),
    },
  });
  return { email: user.email };
}

/** The caller's account as the account page shows it. */
export async function getAccount(userId: string) {
  const u = await userRow(userId);
  return {
    email: u.email,
    role: u.role,
    hasTotp: u.totpEnabledAt !== null,
    totpEnabledAt: u.totpEnabledAt,
    recoveryCodesLeft: (JSON.parse(u.recoveryCodes) as string[]).length,
  };
}

/**
 * Checks a second factor for a user with two-factor sign-in on: a 6-digit code (each accepted once:
 * a code seen before is refused even inside its window) or a recovery code (used up). Returns which
 * kind matched, or null.
 */
export async function checkSecondFactor(userId: string, code: string): Promise<"totp" | "recovery" | null> {
  const user = await userRow(userId);
  if (!user.totpEnabledAt || !user.totpSecretEnc) return null;
  const trimmed = code.replace(/\s+/g, "");
  if (/^\d{6}$/.test(trimmed)) {
    const step = await matchTotp(decryptSecret(user.totpSecretEnc, aad(userId)), trimmed);
    if (step === null) return null;
    // Security: compare-and-set, so two requests with the same code cannot both pass.
    const won = await db.user.updateMany({
      where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
      data: { totpLastStep: step },
    });
    return won.count === 1 ? "totp" : null;
  }
  const hashes = JSON.parse(user.recoveryCodes) as string[];
  const hash = hashRecoveryCode(trimmed);
  if (!hashes.includes(hash)) return null;
  const won = await db.user.updateMany({
    where: { id: userId, recoveryCodes: user.recoveryCodes },
    data: { recoveryCodes: JSON.stringify(hashes.filter((h) => h !== hash)) },
  });
  return won.count === 1 ? "recovery" : null;
}

async function matchTotp(secret: string, code: string): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(Date.now() / 1000);
  const r = await verify({ secret, token: code, epoch, epochTolerance: TOLERANCE_S });
  return r.valid ? Math.floor(epoch / 30) + r.delta : null;
}

/** "k3m9q-x7t2p": 50 random bits in base32 (no 0/1/8/9 look-alikes to misread). */
function newRecoveryCode(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b & 31]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

function hashRecoveryCode(code: string): string {
  return sha256Hex(
    code
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, ""),
  );
}
